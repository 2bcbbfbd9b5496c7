import Foundation

/// Reads CSV as RFC 4180 writes it (the reverse of `CSVWriter`): fields separated by commas, records
/// by LF or CRLF, a field in double quotes may hold commas, quotes (doubled) and line breaks.
/// Strict where a lenient reader would guess: a quote inside an unquoted field, text after a closing
/// quote, or a quote left open at the end of the file is an error that names the line.
public enum CSVReader {
    public static func parse(_ text: String) throws -> [[String]] {
        var copy = text
        return try copy.withUTF8 { try parse(bytes: $0) }
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws -> [[String]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var rows: [[String]] = [], row: [String] = [], field: [UInt8] = []
        var line = 1, i = 0
        let n = bytes.count
        func endField() { row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        func endRecord() { endField(); rows.append(row); row = [] }
        while i < n {
            if bytes[i] == quote && field.isEmpty {
                // Quoted field: runs to the next quote that is not doubled.
                let openedOn = line
                i += 1
                var closed = false
                while i < n {
                    let c = bytes[i]
                    if c == quote {
                        if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    if c == lf { line += 1 }
                    field.append(c); i += 1
                }
                guard closed else { throw CSVError(line: openedOn, reason: "a quoted field is never closed") }
                guard i == n || bytes[i] == comma || bytes[i] == lf || bytes[i] == cr else {
                    throw CSVError(line: line, reason: "text after a closing quote")
                }
                if i == n { endRecord() }
                continue
            }
            switch bytes[i] {
            case comma: endField()
            case lf: endRecord(); line += 1
            case cr:
                endRecord(); line += 1
                if i + 1 < n && bytes[i + 1] == lf { i += 1 }
            case quote: throw CSVError(line: line, reason: "a double quote inside an unquoted field")
            default: field.append(bytes[i])
            }
            i += 1
            if i == n && !(bytes[n - 1] == lf || bytes[n - 1] == cr) { endRecord() }
        }
        return rows
    }
}

public struct CSVError: Error, CustomStringConvertible, Equatable {
    public let line: Int
    public let reason: String
    public var description: String { "line \(line): \(reason)" }
}
