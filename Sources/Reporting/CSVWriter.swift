import Foundation

/// Builds CSV text with RFC 4180 quoting.
///
/// A field is quoted when it holds a comma, a double quote, CR or LF (file names can), or
/// leading/trailing spaces (which some readers would otherwise trim); quotes inside are doubled.
/// Records end with `lineEnding`: "\n" by default, which every CSV reader accepts and line tools
/// (grep, cut, awk) prefer; pass "\r\n" for the RFC's strict CRLF.
public struct CSVWriter: Sendable {
    public private(set) var text = ""
    public let lineEnding: String

    public init(header: [String]? = nil, lineEnding: String = "\n") {
        self.lineEnding = lineEnding
        if let header { append(header) }
    }

    public mutating func append(_ fields: [String]) {
        text += CSVWriter.record(fields) + lineEnding
    }

    /// One record without its line ending.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    public static func field(_ value: String) -> String {
        // Scalars, not Characters: Swift treats "\r\n" as one Character equal to neither "\r" nor "\n".
        let special = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        let padded = value.unicodeScalars.first == " " || value.unicodeScalars.last == " "
        guard special || padded else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
