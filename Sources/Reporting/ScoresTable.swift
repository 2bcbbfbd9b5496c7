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
        let withLabel = hasLabels(report.records)
        var csv = CSVWriter(header: columns(withLabel: withLabel))
        for record in report.records { csv.append(fields(record, withLabel: withLabel)) }
        return csv.text
    }

    public static func outliersCSV(_ report: RunReport) -> String {
        let withLabel = hasLabels(report.records)
        var csv = CSVWriter(header: ["rank"] + columns(withLabel: withLabel))
        for (i, record) in report.outliers.enumerated() {
            csv.append([String(i + 1)] + fields(record, withLabel: withLabel))
        }
        return csv.text
    }

    static func hasLabels(_ records: [RunReport.Record]) -> Bool { records.contains { $0.label != nil } }

    static func fields(_ r: RunReport.Record, withLabel: Bool) -> [String] {
        let outlier = r.status == .ok ? String(r.outlier) : ""
        return [r.path, r.status.rawValue, number(r.error), number(r.score), number(r.pValue), outlier]
            + (withLabel ? [r.label ?? ""] : []) + [r.message ?? ""]
    }

    static func number(_ x: Double?) -> String { x.map(Format.exact) ?? "" }
}
