import Foundation

/// scores.csv and outliers.csv.
///
/// scores.csv has every record in input order with the columns
/// `path,status,error,score,p_value,outlier[,label],message` (`label` only when some record has
/// one). outliers.csv has the outliers, most anomalous first, with a 1-based `rank` column in
/// front. Numbers are printed with nine significant digits (`%.9g`, enough to read a Float score
/// back exactly); a missing value is an empty field; `outlier` is `true`/`false`, empty for
/// inputs that could not be scored.
public enum ScoresTable {
    public static func columns(withLabel: Bool) -> [String] {
        ["path", "status", "error", "score", "p_value", "outlier"] + (withLabel ? ["label"] : []) + ["message"]
    }

    public static func scoresCSV(_ report: RunReport) -> String {
        var bytes: [UInt8] = []
        writeScores(report) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// scores.csv handed to `write` a chunk (~64 KB) at a time, in order, so the file is written
    /// without its whole text in memory; the rows come from the compact verdicts one by one.
    public static func writeScores(_ report: RunReport, chunk: Int = 1 << 16,
                                   to write: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let withLabel = report.verdicts.hasLabels
        try writeChunked(header: columns(withLabel: withLabel), rows: report.verdicts, chunk: chunk, to: write) { record, bytes in
            appendRow(record, withLabel: withLabel, to: &bytes)
        }
    }

    public static func outliersCSV(_ report: RunReport) -> String {
        var bytes: [UInt8] = []
        writeOutliers(report) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// outliers.csv a chunk at a time, like `writeScores`: when most inputs are outliers the
    /// file is as long as scores.csv, and its text, held whole (then copied into a Data), grew
    /// peak memory with the number of inputs.
    public static func writeOutliers(_ report: RunReport, chunk: Int = 1 << 16,
                                     to write: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let withLabel = report.verdicts.hasLabels
        try writeChunked(header: ["rank"] + columns(withLabel: withLabel), rows: report.outliers.enumerated(), chunk: chunk,
                         to: write) { row, bytes in
            bytes.append(contentsOf: String(row.offset + 1).utf8)
            bytes.append(CSVWriter.comma)
            appendRow(row.element, withLabel: withLabel, to: &bytes)
        }
    }

    /// The header, then each row as `append` writes it, handed to `write` about `chunk` bytes at a time.
    private static func writeChunked<Rows: Sequence>(header: [String], rows: Rows, chunk: Int,
                                                     to write: (UnsafeBufferPointer<UInt8>) throws -> Void,
                                                     append: (Rows.Element, inout [UInt8]) -> Void) rethrows {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chunk + 4096)
        appendRow(header, to: &bytes)
        for row in rows {
            append(row, &bytes)
            if bytes.count >= chunk {
                try bytes.withUnsafeBufferPointer(write)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        if !bytes.isEmpty { try bytes.withUnsafeBufferPointer(write) }
    }

    static func appendRow(_ fields: [String], to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(CSVWriter.comma) }
            CSVWriter.appendField(field, to: &out)
        }
        out.append(newline)
    }

    /// One record's fields, as `CSVWriter` would write them (the same quoting and "\n").
    static func appendRow(_ r: RunReport.Record, withLabel: Bool, to out: inout [UInt8]) {
        CSVWriter.appendField(r.path, to: &out)
        out.append(CSVWriter.comma)
        out.append(contentsOf: r.status.rawValue.utf8)
        func number(_ x: Double?) {
            out.append(CSVWriter.comma)
            if let x { Format.appendExact(x, to: &out) }
        }
        number(r.error); number(r.score); number(r.pValue)
        out.append(CSVWriter.comma)
        if r.status == .ok { out.append(contentsOf: (r.outlier ? "true" : "false").utf8) }
        if withLabel {
            out.append(CSVWriter.comma)
            CSVWriter.appendField(r.label ?? "", to: &out)
        }
        out.append(CSVWriter.comma)
        CSVWriter.appendField(r.message ?? "", to: &out)
        out.append(newline)
    }

    static let newline = UInt8(ascii: "\n")
}
