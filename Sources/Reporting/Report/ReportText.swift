import AnomalyDetection
import Foundation

/// Sentences and table rows that report.html and report.md share, as plain text.
enum ReportText {
    static let inputsListed = 5

    static func title(_ report: RunReport) -> String {
        report.context.command == "evaluate" ? "aedetect evaluation report" : "aedetect scoring report"
    }

    static func inputs(_ c: RunReport.Context) -> String {
        let shown = c.inputs.prefix(inputsListed).joined(separator: ", ")
        return c.inputs.count > inputsListed ? "\(shown) and \(c.inputs.count - inputsListed) more" : shown
    }

    static func selection(_ report: RunReport) -> String {
        let c = report.context
        if c.selection == "fdr", let alpha = c.fdrLevel {
            return "Benjamini–Hochberg on conformal p-values at false discovery rate \(Format.short(alpha))"
        }
        return "score above the calibrated threshold"
    }

    /// What was run, as name/value rows.
    static func runFacts(_ report: RunReport) -> [(String, String)] {
        let c = report.context, cal = report.calibration
        var rows: [(String, String)] = [
            ("Command", c.command + (c.shard.map { " (shard \($0))" } ?? "")),
            ("Model", c.modelPath),
            ("Architecture", "\(c.architecture), \(Format.grouped(c.parameterCount)) parameters"),
            ("Inputs", inputs(c)),
            ("Date", Format.iso8601(c.date)),
            ("Tool version", c.toolVersion),
            ("Threshold", "\(Format.short(cal.threshold)) (\(cal.method))"),
            ("Outliers chosen by", selection(report)),
            ("Calibration", calibration(cal)),
        ]
        if let bound = cal.falsePositiveBound {
            rows.append(("False-positive bound", "at most \(Format.percent(bound)) of normal inputs flagged"))
        }
        if let warning = cal.warning { rows.append(("Warning", warning)) }
        return rows
    }

    static func calibration(_ c: Calibration) -> String {
        let s = c.summary
        return "\(s.n) held-out normal scores: median \(Format.short(s.median)), mean \(Format.short(s.mean)), "
            + "std \(Format.short(s.std)), max \(Format.short(s.max))"
    }

    /// (name, value) of the four counts.
    static func counts(_ report: RunReport) -> [(String, String)] {
        let scored = report.verdicts.scoredCount, outliers = report.outliers.count
        let share = scored > 0 ? " (\(Format.percent(Double(outliers) / Double(scored))) of scored)" : ""
        return [("Inputs", String(report.verdicts.count)), ("Scored", String(scored)),
                ("Could not be read", String(report.failed.count)), ("Outliers", "\(outliers)\(share)")]
    }

    static let outlierHeader = ["rank", "path", "score", "p-value"]

    static func outlierRows(_ report: RunReport, limit: Int) -> [[String]] {
        report.outliers.prefix(limit).enumerated().map { i, r in
            [String(i + 1), r.path, r.score.map(Format.short) ?? "", r.pValue.map(Format.short) ?? ""]
        }
    }

    static func failedRows(_ report: RunReport, limit: Int) -> [[String]] {
        report.failed.prefix(limit).map { [$0.path, $0.message ?? "unknown error"] }
    }

    static func metricRows(_ e: RunReport.Evaluation) -> [[String]] {
        let m = e.confusion
        func optional(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "n/a" }
        return [["ROC AUC", optional(e.rocAUC)], ["Average precision (PR AUC)", optional(e.averagePrecision)],
                ["Precision", optional(m.precision)], ["Recall", optional(m.recall)], ["F1", optional(m.f1)],
                ["False-positive rate", optional(m.falsePositiveRate)]]
    }

    static func pixelRows(_ p: PixelMetrics) -> [[String]] {
        func optional(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "n/a" }
        return [["Pixel ROC AUC", optional(p.rocAUC)], ["PRO AUC (false-positive rate ≤ 0.3)", optional(p.proAUC)],
                ["Defect pixels", String(p.defectPixels)], ["Defect regions", String(p.regions)]]
    }

    static let confusionHeader = ["", "flagged as outlier", "not flagged"]

    static func confusionRows(_ m: ConfusionMatrix) -> [[String]] {
        [["anomaly (true)", String(m.truePositives), String(m.falseNegatives)],
         ["normal (true)", String(m.falsePositives), String(m.trueNegatives)]]
    }

    static let perClassHeader = ["class", "role", "count", "flagged", "flagged share"]

    static func perClassRows(_ e: RunReport.Evaluation) -> [[String]] {
        e.perClass.map { c in
            [c.label, c.normal ? "normal" : "anomaly", String(c.count), String(c.flagged),
             c.count > 0 ? Format.percent(Double(c.flagged) / Double(c.count)) : "n/a"]
        }
    }

    static let howToRead = [
        "Each input is reconstructed by the autoencoder; its score is the reconstruction error. Inputs unlike the "
            + "training data reconstruct badly and score high.",
        "The threshold was set on normal data held out from training. With quantile:q, a normal input is flagged "
            + "with probability at most 1 − q, so about that share of normal inputs will be flagged anyway.",
        "The p-value of an input is the share of held-out normal scores at least as high: small p-values are unusual.",
        "In the image grids the heatmap shows where the reconstruction differs from the input; bright areas are "
            + "what the model could not explain.",
        "scores.csv lists every input in order (including those that could not be read); outliers.csv the outliers, "
            + "most anomalous first; summary.json the same for programs.",
    ]
}

/// The sentence under the loss curves.
struct TrainingHistoryNote {
    let text: String
    init?(_ report: RunReport) {
        let h = report.history
        guard !h.loss.isEmpty else { return nil }
        var text = "\(h.loss.count) epochs"
        if let last = h.loss.last { text += "; final training loss \(Format.short(last))" }
        if let last = h.validationLoss.last { text += ", validation loss \(Format.short(last))" }
        if let kept = h.keptEpoch {
            text += "; the model holds the weights of epoch \(kept + 1)" + (h.stoppedEarly ? " (stopped early)" : "")
        }
        self.text = text + "."
    }
}
