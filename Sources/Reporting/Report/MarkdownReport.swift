import Foundation

/// report.md: the report for a repository viewer. Charts and grids are separate files in
/// `grids/` linked relatively (Git forges show linked SVG and PNG images, but strip inline SVG).
public enum MarkdownReport {
    public static let tableLimit = 25

    public static func markdown(_ report: RunReport) -> String {
        var parts = ["# " + text(ReportText.title(report)), "",
                     ReportText.runFacts(report).map { "- **\(text($0.0)):** \(text($0.1))" }.joined(separator: "\n"), "",
                     table(ReportText.counts(report).map(\.0), [ReportText.counts(report).map(\.1)]), "",
                     "## Scores", "", image("score histogram", RunFiles.histogramChart), ""]
        parts += examples(report)
        if ReportCharts.loss(report.history) != nil {
            parts += ["## Training", "", image("training and validation loss", RunFiles.lossChart), ""]
            if let note = TrainingHistoryNote(report) { parts += [text(note.text), ""] }
        }
        if let e = report.evaluation { parts += evaluation(e) }
        parts += failed(report)
        parts += ["## How to read this", ""] + ReportText.howToRead.map { "- " + text($0) } + [""]
        return parts.joined(separator: "\n")
    }

    static func examples(_ report: RunReport) -> [String] {
        var parts = ["## Most anomalous inputs", ""]
        if report.outliers.isEmpty {
            parts += ["No outliers were found.", ""]
        } else {
            if !report.topOutliers.isEmpty {
                parts += ["Each row: input, reconstruction, per-pixel error (colour scale at the bottom).", "",
                          image("most anomalous inputs", RunFiles.outlierGrid), ""]
            }
            parts += maps(report)
            parts += [table(ReportText.outlierHeader, ReportText.outlierRows(report, limit: tableLimit)), ""]
            if report.outliers.count > tableLimit {
                parts += ["The first \(tableLimit) of \(report.outliers.count) outliers; all are in "
                          + "[\(RunFiles.outliers)](\(RunFiles.outliers)).", ""]
            }
        }
        if !report.typicalInliers.isEmpty {
            parts += ["## Typical inliers, for contrast", "", image("typical inliers", RunFiles.inlierGrid), ""]
        }
        return parts
    }

    /// Links to the shown outliers' map files in maps/ (none when the run wrote none).
    static func maps(_ report: RunReport) -> [String] {
        guard let scale = MapScale(report) else { return [] }
        let links = zip(report.topOutliers, MapFiles.shown(report)).enumerated().compactMap { i, pair -> String? in
            guard let base = pair.1 else { return nil }
            return "\(i + 1). \(text(pair.0.path)): [overlay](\(link(MapFiles.overlay(base)))), [map](\(link(MapFiles.map(base))))"
        }
        guard !links.isEmpty else { return [] }
        return ["Anomaly maps (colour from \(text(Format.short(scale.low))), the median of the typical inliers' maps, "
                + "to \(text(Format.short(scale.high))), the highest value shown):", ""] + links + [""]
    }

    /// A relative path as a link target: each component percent-encoded (names come from input files).
    static func link(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/();#?"))) ?? String($0) }
            .joined(separator: "/")
    }

    static func evaluation(_ e: RunReport.Evaluation) -> [String] {
        var parts = ["## Evaluation against known labels", "",
                     image("ROC curve", RunFiles.rocChart) + " " + image("precision-recall curve", RunFiles.precisionRecallChart), "",
                     table(["metric", "value"], ReportText.metricRows(e)), "", "Confusion matrix:", "",
                     table(ReportText.confusionHeader, ReportText.confusionRows(e.confusion)), ""]
        if !e.perClass.isEmpty {
            parts += ["Per class:", "", table(ReportText.perClassHeader, ReportText.perClassRows(e)), ""]
        }
        if let p = e.pixel { parts += ["Anomaly maps against the ground-truth masks:", "", table(["metric", "value"], ReportText.pixelRows(p)), ""] }
        return parts
    }

    static func failed(_ report: RunReport) -> [String] {
        var parts = ["## Inputs that could not be read", ""]
        guard !report.failed.isEmpty else { return parts + ["All inputs were read.", ""] }
        parts += [table(["path", "reason"], ReportText.failedRows(report, limit: tableLimit)), ""]
        if report.failed.count > tableLimit {
            parts += ["The first \(tableLimit) of \(report.failed.count); all are in [\(RunFiles.scores)](\(RunFiles.scores)).", ""]
        }
        return parts
    }

    static func image(_ alt: String, _ path: String) -> String { "![\(text(alt))](\(path))" }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        var lines = [line(header.map(text)), line(header.map { _ in "---" })]
        for row in rows {
            lines.append(line(row.map(text)))
        }
        return lines.joined(separator: "\n")
    }

    /// Text that renders as itself: characters with a meaning in (GitHub-flavoured) Markdown or
    /// HTML are backslash-escaped, and line breaks (which would end a table row) become spaces.
    static func text(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "&", "~", "#", "!": out += "\\" + String(scalar)
            case "\n", "\r", "\t": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
