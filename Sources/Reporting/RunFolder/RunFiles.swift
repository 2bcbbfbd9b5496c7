/// Names of the files in a run folder, relative to it.
public enum RunFiles {
    public static let scores = "scores.csv"
    public static let outliers = "outliers.csv"
    public static let summary = "summary.json"
    public static let html = "report.html"
    public static let markdown = "report.md"
    public static let outlierGrid = "grids/outliers.png"
    public static let inlierGrid = "grids/inliers.png"
    public static let histogramChart = "grids/scores.svg"
    public static let lossChart = "grids/loss.svg"
    public static let rocChart = "grids/roc.svg"
    public static let precisionRecallChart = "grids/precision_recall.svg"
    /// Present while a run folder is being written.
    public static let incompleteMarker = ".incomplete"

    /// Every name a run folder can hold, so a rerun can remove what it no longer writes.
    public static let all = [scores, outliers, summary, html, markdown, outlierGrid, inlierGrid,
                             histogramChart, lossChart, rocChart, precisionRecallChart]

    /// The grids written for `report` (only those with examples to show).
    public static func grids(_ report: RunReport) -> [String] {
        (report.topOutliers.isEmpty ? [] : [outlierGrid]) + (report.typicalInliers.isEmpty ? [] : [inlierGrid])
    }

    /// The charts written for `report`: the score histogram always, loss curves when there is a
    /// history, ROC and precision–recall curves when there is an evaluation.
    public static func charts(_ report: RunReport) -> [String] {
        [histogramChart] + (ReportCharts.loss(report.history) == nil ? [] : [lossChart])
            + (report.evaluation == nil ? [] : [rocChart, precisionRecallChart])
    }

    public static func written(_ report: RunReport) -> [String] {
        [scores, outliers, summary, html, markdown] + grids(report) + charts(report)
    }
}
