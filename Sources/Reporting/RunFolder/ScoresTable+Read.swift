import AnomalyDetection
import Foundation

extension ScoresTable {
    /// Reads scores.csv back into records (the columns are found by name, so an added column is
    /// no obstacle). Numbers come back as printed: nine significant digits.
    public static func records(fromCSV text: String, file: String) throws -> [ScoreRecord] {
        let rows: [[String]]
        do { rows = try CSVReader.parse(text) } catch { throw ScoresFileError(file: file, reason: "\(error)") }
        guard let header = rows.first else { throw ScoresFileError(file: file, reason: "empty (no header)") }
        var column: [String: Int] = [:]
        for (i, name) in header.enumerated() { column[name] = i }
        for name in columns(withLabel: false) where column[name] == nil {
            throw ScoresFileError(file: file, reason: "no \"\(name)\" column (the header is \(header.joined(separator: ",")))")
        }
        return try rows.dropFirst().enumerated().map { k, row in
            let line = k + 2
            guard row.count == header.count else {
                throw ScoresFileError(file: file, reason: "line \(line) has \(row.count) fields, the header \(header.count)")
            }
            func text(_ name: String) -> String? { column[name].map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
            func number(_ name: String) throws -> Double? {
                guard let s = text(name) else { return nil }
                guard let x = Double(s) else { throw ScoresFileError(file: file, reason: "line \(line): \(name) \"\(s)\" is not a number") }
                return x
            }
            guard let status = ScoreRecord.Status(rawValue: row[column["status"]!]) else {
                throw ScoresFileError(file: file, reason: "line \(line): status \"\(row[column["status"]!])\" is neither ok nor error")
            }
            return ScoreRecord(path: row[column["path"]!], status: status, message: text("message"), error: try number("error"),
                               score: try number("score"), pValue: try number("p_value"), outlier: text("outlier") == "true",
                               label: text("label"))
        }
    }
}

public struct ScoresFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let reason: String
    public var description: String { "\(file): \(reason)" }
}
