import Foundation

/// report.html: one self-contained page (inline CSS, inline SVG charts, PNG images as data URIs,
/// no scripts, nothing fetched) that shows a person what a run found.
public enum HTMLReport {
    /// Rows shown in the outlier table (outliers.csv has them all): enough to read, few enough
    /// that the charts below stay in reach.
    public static let outlierRows = 25
    /// Rows shown in the failed-input table (scores.csv has them all); past `foldedRows` the
    /// table is folded into a <details> element.
    public static let failedRows = 200
    public static let foldedRows = 25

    public static func html(_ report: RunReport) throws -> String {
        var sections = [header(report), counts(report), scores(report)]
        sections.append(try examples(report))
        if let loss = ReportCharts.loss(report.history) { sections.append(training(report, loss)) }
        if let evaluation = report.evaluation { sections.append(self.evaluation(evaluation)) }
        sections.append(failed(report))
        sections.append(howToRead())
        let title = HTML.escape(ReportText.title(report))
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            \(sections.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    static func header(_ report: RunReport) -> String {
        "<header><h1>\(HTML.escape(ReportText.title(report)))</h1>\n" + HTML.facts(ReportText.runFacts(report)) + "</header>"
    }

    static func counts(_ report: RunReport) -> String {
        let cards = ReportText.counts(report).map { name, value in
            "<div class=\"count\"><div class=\"value\">\(HTML.escape(value))</div><div class=\"name\">\(HTML.escape(name))</div></div>"
        }
        return "<section class=\"counts\">\n" + cards.joined(separator: "\n") + "\n</section>"
    }

    static func scores(_ report: RunReport) -> String {
        section("Scores", ReportCharts.histogram(report),
                "<p class=\"note\">Each series is scaled to its own total, so the run and the held-out normal scores "
                    + "compare even when their sizes differ. Inputs to the right of the threshold are outliers.</p>")
    }

    static func examples(_ report: RunReport) throws -> String {
        let maximum = ReconstructionGrid.sharedErrorMaximum(report)
        var parts: [String] = []
        if report.outliers.isEmpty {
            parts.append(section("Most anomalous inputs", "<p>No outliers were found.</p>"))
        } else if report.topOutliers.isEmpty {
            parts.append(section("Most anomalous inputs", outlierTable(report)))
        } else {
            parts.append(section("Most anomalous inputs", colourScale(maximum), try tiles(report.topOutliers, maximum),
                                 try overlays(report), outlierTable(report)))
        }
        if !report.typicalInliers.isEmpty {
            parts.append(section("Typical inliers, for contrast", try tiles(report.typicalInliers, maximum)))
        }
        return parts.joined(separator: "\n")
    }

    /// One small grid image per example, all on the same heat scale (PNG-encoded on all cores:
    /// the encoding was most of the time the report took).
    static func tiles(_ examples: [RunReport.Example], _ maximum: Double) throws -> String {
        let images = try Concurrently.map(examples) { e -> String in
            let grid = ReconstructionGrid(examples: [e], errorMaximum: maximum, showsScaleBar: false)
            let alt = HTML.escape("\(e.path): score \(Format.short(e.score))")
            return "<img class=\"grid\" src=\"data:image/png;base64,\(try grid.png().base64EncodedString())\" "
                + "width=\"\(grid.width)\" height=\"\(grid.height)\" alt=\"\(alt)\" title=\"\(alt)\">"
        }
        return "<div class=\"tiles\">\n" + images.joined(separator: "\n") + "\n</div>"
    }

    /// The shown outliers' anomaly maps over their inputs, on the run's map scale ("" without maps).
    static func overlays(_ report: RunReport) throws -> String {
        guard report.maps != .none, let scale = MapScale(report) else { return "" }
        let shown = report.topOutliers.compactMap { e in e.map.map { (e, $0) } }
        guard !shown.isEmpty else { return "" }
        let images = try Concurrently.map(shown) { e, map -> String in
            let image = AnomalyMapImage.overlay(e, map: map, scale: scale)
            let alt = HTML.escape("\(e.path): anomaly map over the input")
            return "<img class=\"grid\" src=\"data:image/png;base64,\(try image.png().base64EncodedString())\" "
                + "width=\"\(image.width)\" height=\"\(image.height)\" alt=\"\(alt)\" title=\"\(alt)\">"
        }
        return "<h3>Anomaly maps over the inputs</h3>\n"
            + colourScale(low: scale.low, high: scale.high, label: "anomaly map (median of typical inliers → highest shown)")
            + "<div class=\"tiles\">\n" + images.joined(separator: "\n") + "\n</div>"
    }

    /// The heatmap's colour map as a CSS gradient with its ends labelled.
    static func colourScale(_ maximum: Double) -> String {
        colourScale(low: 0, high: maximum, label: "|input − reconstruction| per pixel")
    }

    static func colourScale(low: Double, high: Double, label: String) -> String {
        let stops = stride(from: 0.0, through: 1.0, by: 0.125).map { t -> String in
            let c = ColourMap.colour(t)
            return "rgb(\(c.r),\(c.g),\(c.b))"
        }
        return "<div class=\"scale\"><span>\(HTML.escape(label)): \(HTML.escape(Format.short(low)))</span>"
            + "<span class=\"bar\" style=\"background: linear-gradient(to right, \(stops.joined(separator: ", ")))\"></span>"
            + "<span>\(HTML.escape(Format.short(high)))</span></div>"
    }

    static func outlierTable(_ report: RunReport) -> String {
        let total = report.outliers.count
        let shown = min(total, outlierRows)
        let note = total > shown ? "<p class=\"note\">The \(shown) most anomalous of \(total) outliers; all are in outliers.csv.</p>" : ""
        return HTML.table(ReportText.outlierHeader, ReportText.outlierRows(report, limit: outlierRows),
                          numeric: [0, 2, 3], className: "outliers") + note
    }

    static func training(_ report: RunReport, _ chart: String) -> String {
        let note = TrainingHistoryNote(report).map { "<p class=\"note\">\(HTML.escape($0.text))</p>" } ?? ""
        return section("Training", chart, note)
    }

    static func evaluation(_ e: RunReport.Evaluation) -> String {
        let charts = "<div class=\"charts\">\n" + ReportCharts.roc(e) + "\n" + ReportCharts.precisionRecall(e) + "\n</div>"
        let tables = "<div class=\"tables\">\n<div><h3>Metrics at the threshold</h3>\n"
            + HTML.table(["metric", "value"], ReportText.metricRows(e), numeric: [1]) + "</div>\n"
            + "<div><h3>Confusion matrix</h3>\n"
            + HTML.table(ReportText.confusionHeader, ReportText.confusionRows(e.confusion), numeric: [1, 2]) + "</div>\n</div>"
        let perClass = e.perClass.isEmpty ? "" : "<h3>Per class</h3>\n"
            + HTML.table(ReportText.perClassHeader, ReportText.perClassRows(e), numeric: [2, 3, 4])
        let pixel = e.pixel.map { "<h3>Anomaly maps against the ground-truth masks</h3>\n"
            + HTML.table(["metric", "value"], ReportText.pixelRows($0), numeric: [1]) } ?? ""
        return section("Evaluation against known labels", charts, tables, perClass, pixel)
    }

    static func failed(_ report: RunReport) -> String {
        let failed = report.failed
        guard !failed.isEmpty else { return section("Inputs that could not be read", "<p>All inputs were read.</p>") }
        let note = failed.count > failedRows
            ? "<p class=\"note\">The first \(failedRows) of \(failed.count); all are in scores.csv.</p>" : ""
        var table = HTML.table(["path", "reason"], ReportText.failedRows(report, limit: failedRows), className: "failed")
        if failed.count > foldedRows {
            table = "<details><summary>\(failed.count) inputs could not be read</summary>\n\(table)\n</details>"
        }
        return section("Inputs that could not be read", table, note)
    }

    static func howToRead() -> String {
        section("How to read this", "<ul>\n" + ReportText.howToRead.map { "<li>\(HTML.escape($0))</li>" }.joined(separator: "\n")
            + "\n</ul>")
    }

    static func section(_ title: String, _ parts: String...) -> String {
        "<section>\n<h2>\(HTML.escape(title))</h2>\n" + parts.filter { !$0.isEmpty }.joined(separator: "\n") + "\n</section>"
    }

    static let style = """

        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fafafa; margin: 0; }
        main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
        h1 { font-size: 1.6em; margin: 0.4em 0; }
        h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 1.6em; }
        h3 { font-size: 1em; margin: 0.8em 0 0.4em; }
        table { border-collapse: collapse; margin: 8px 0; background: white; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.facts th { width: 11em; }
        table.outliers td:nth-child(2), table.failed td:first-child { overflow-wrap: anywhere; font-family: ui-monospace, monospace; font-size: 0.9em; }
        table.failed { width: 100%; }
        table.failed td:first-child { width: 35%; }
        .counts { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
        .count { background: white; border: 1px solid #ddd; border-radius: 6px; padding: 8px 16px; min-width: 8em; }
        .count .value { font-size: 1.5em; font-weight: bold; }
        .count .name { color: #666; }
        .tiles { display: flex; flex-wrap: wrap; gap: 10px; }
        img.grid { image-rendering: pixelated; border: 1px solid #ddd; background: white; }
        .scale { display: flex; align-items: center; gap: 8px; margin: 8px 0; color: #444; font-size: 0.9em; }
        .scale .bar { display: inline-block; width: 240px; height: 12px; border: 1px solid #999; }
        .charts, .tables { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        svg { max-width: 100%; height: auto; }
        .note { color: #555; font-size: 0.9em; }

        """
}
