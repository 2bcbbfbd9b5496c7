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
        var bytes: [UInt8] = []
        appendField(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `field(value)` as UTF-8 bytes appended to `out` (for files written a chunk at a time).
    public static func appendField(_ value: String, to out: inout [UInt8]) {
        // Bytes, not Characters: Swift treats "\r\n" as one Character equal to neither "\r" nor "\n".
        // The special characters are ASCII, so no byte of a multi-byte UTF-8 sequence can match them.
        let utf8 = value.utf8
        let special = utf8.contains { $0 == comma || $0 == quote || $0 == 0x0A || $0 == 0x0D }
        let padded = utf8.first == 0x20 || utf8.last == 0x20
        guard special || padded else { out.append(contentsOf: utf8); return }
        out.append(quote)
        for byte in utf8 {
            if byte == quote { out.append(quote) }
            out.append(byte)
        }
        out.append(quote)
    }

    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
}
