import AnomalyDetection
import Foundation

/// summary.json: the run for machines. Keys are sorted; a value that does not apply is `null`.
///
/// - `schema_version`: 1; raised when a key changes meaning or disappears.
/// - `context`: `command` ("score" or "evaluate"), `model` (path), `architecture`, `parameters`
///   (count), `inputs` (as given), `date` (ISO 8601), `tool_version`, `selection` ("threshold" or
///   "fdr"), `fdr_level`, `shard` ("K/N"), `model_fingerprint` (weights, architecture, preprocessing
///   and calibration; equal fingerprints score identically).
/// - `counts`: `inputs` (records), `scored`, `failed` (could not be read), `outliers`.
/// - `threshold`: `value`, `method` ("quantile:0.99"), `calibration` {`n`, `mean`, `std`, `min`,
///   `max`, `median`} of the held-out normal scores, `false_positive_bound` (quantile only),
///   `warning`.
/// - `scores`: {`n`, `mean`, `std`, `min`, `max`, `median`} of this run's scores (null when none).
/// - `evaluation` (evaluate only): `roc_auc`, `average_precision`, `precision`, `recall`, `f1`,
///   `pixel` (with `--masks`: pixel-level `roc_auc` and `pro_auc`, AUPRO to a false-positive rate of 0.3),
///   `false_positive_rate`, `confusion` {`true_positives`, `false_positives`, `true_negatives`,
///   `false_negatives`}, `per_class` [{`label`, `count`, `flagged`, `normal`}].
/// - `failed`: [{`path`, `message`}] for every input that could not be scored.
/// - `outliers`: [{`rank`, `path`, `score`, `p_value`}], the `outliersListed` most anomalous
///   (outliers.csv has them all).
/// - `files`: {`scores`, `outliers`, `html`, `markdown`, `grids`: [..], `charts`: [..]}, relative paths.
public enum SummaryJSON {
    public static let outliersListed = 100

    public static func data(_ report: RunReport) throws -> Data {
        try JSONSerialization.data(withJSONObject: object(report), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    public static func object(_ report: RunReport) -> [String: Any] {
        [
            "schema_version": RunReport.schemaVersion,
            "context": context(report.context),
            "counts": ["inputs": report.verdicts.count, "scored": report.verdicts.scoredCount,
                       "failed": report.failed.count, "outliers": report.outliers.count],
            "threshold": threshold(report.calibration),
            "scores": scoreStatistics(report.verdicts.scores),
            "evaluation": report.evaluation.map(evaluation) ?? NSNull(),
            "failed": report.failed.map { ["path": $0.path, "message": $0.message ?? ""] },
            "outliers": report.outliers.prefix(outliersListed).enumerated().map { i, r in
                ["rank": i + 1, "path": r.path, "score": number(r.score), "p_value": number(r.pValue)] as [String: Any]
            },
            "files": ["scores": RunFiles.scores, "outliers": RunFiles.outliers, "html": RunFiles.html,
                      "markdown": RunFiles.markdown, "grids": RunFiles.grids(report), "charts": RunFiles.charts(report)],
        ]
    }

    static func context(_ c: RunReport.Context) -> [String: Any] {
        ["command": c.command, "model": c.modelPath, "architecture": c.architecture, "parameters": c.parameterCount,
         "inputs": c.inputs, "date": Format.iso8601(c.date), "tool_version": c.toolVersion, "selection": c.selection,
         "fdr_level": number(c.fdrLevel), "shard": c.shard ?? NSNull(), "model_fingerprint": c.modelFingerprint ?? NSNull()]
    }

    static func threshold(_ c: Calibration) -> [String: Any] {
        ["value": number(c.threshold), "method": c.method.description, "calibration": statistics(c.summary),
         "false_positive_bound": number(c.falsePositiveBound), "warning": c.warning ?? NSNull()]
    }

    static func scoreStatistics(_ scores: [Double]) -> Any {
        let finite = scores.filter(\.isFinite)
        return finite.isEmpty ? NSNull() : statistics(ScoreSummary(sorted: finite.sorted()))
    }

    static func statistics(_ s: ScoreSummary) -> [String: Any] {
        ["n": s.n, "mean": number(s.mean), "std": number(s.std), "min": number(s.min), "max": number(s.max),
         "median": number(s.median)]
    }

    static func evaluation(_ e: RunReport.Evaluation) -> [String: Any] {
        let m = e.confusion
        return ["roc_auc": number(e.rocAUC), "average_precision": number(e.averagePrecision),
                "precision": m.precision, "recall": m.recall, "f1": m.f1, "false_positive_rate": m.falsePositiveRate,
                "confusion": ["true_positives": m.truePositives, "false_positives": m.falsePositives,
                              "true_negatives": m.trueNegatives, "false_negatives": m.falseNegatives],
                "per_class": e.perClass.map { ["label": $0.label, "count": $0.count, "flagged": $0.flagged,
                                               "normal": $0.normal] as [String: Any] },
                "pixel": e.pixel.map(pixel) ?? NSNull()]
    }

    static func pixel(_ p: PixelMetrics) -> [String: Any] {
        ["roc_auc": number(p.rocAUC), "pro_auc": number(p.proAUC), "defect_pixels": p.defectPixels,
         "normal_pixels": p.normalPixels, "regions": p.regions]
    }

    /// JSON has no NaN or infinity: those, like a missing value, become null.
    static func number(_ x: Double?) -> Any {
        guard let x, x.isFinite else { return NSNull() }
        return x
    }
}
