import AtomicFiles
import Foundation

/// The files of a `classify` run: predictions.csv (every input), summary.json, report.md and a
/// self-contained report.html.
public struct ClassificationReport {
    public let run: ClassificationRun
    public let modelPath: String
    public let inputs: [String]
    public let info: Classifier.Info

    public init(run: ClassificationRun, modelPath: String, inputs: [String], info: Classifier.Info) {
        self.run = run; self.modelPath = modelPath; self.inputs = inputs; self.info = info
    }

    public static let files = ["predictions.csv", "summary.json", "report.md", "report.html"]

    /// Writes the four files into `folder` (created if needed); an existing run there is
    /// replaced only with `force`.
    public func write(to folder: URL, force: Bool) throws {
        let fm = FileManager.default
        if !force, fm.fileExists(atPath: folder.appendingPathComponent("predictions.csv").path) {
            throw ClassifierError.input("\(folder.path) already holds a run (predictions.csv); use --force to replace it")
        }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(csv, to: folder.appendingPathComponent("predictions.csv"), force: true)
        try AtomicFile.write(summaryJSON, to: folder.appendingPathComponent("summary.json"), force: true)
        try AtomicFile.write(markdown, to: folder.appendingPathComponent("report.md"), force: true)
        try AtomicFile.write(html, to: folder.appendingPathComponent("report.html"), force: true)
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// path, status (ok | error), label (predicted class), probability (of it), message, then
    /// p_<class> for every class; a `true_label` column when any input's class is known.
    public var csv: String {
        let withTruth = run.rows.contains { $0.truth != nil }
        var header = ["path", "status", "label", "probability", "message"] + run.classes.map { "p_" + $0 }
        if withTruth { header.append("true_label") }
        var lines = [header.map(Self.quote).joined(separator: ",")]
        for r in run.rows {
            var cells: [String]
            if let p = r.predicted {
                cells = [r.path, "ok", run.classes[p], String(format: "%.6f", r.probabilities[p]), ""]
                    + r.probabilities.map { String(format: "%.6f", $0) }
            } else {
                cells = [r.path, "error", "", "", r.error ?? ""] + run.classes.map { _ in "" }
            }
            if withTruth { cells.append(r.truth.map { run.classes[$0] } ?? "") }
            lines.append(cells.map(Self.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var summary: [String: Any] {
        var counts = [Int](repeating: 0, count: run.classes.count)
        for r in run.rows { if let p = r.predicted { counts[p] += 1 } }
        var s: [String: Any] = [
            "command": "classify", "model": modelPath, "inputs": inputs, "classes": run.classes,
            "counts": ["inputs": run.rows.count, "classified": run.classifiedCount, "unreadable": run.rows.count - run.classifiedCount],
            "predicted_per_class": Dictionary(uniqueKeysWithValues: zip(run.classes, counts)),
            "encoder_source": info.encoderSource ?? "none (fresh weights)",
        ]
        if let e = run.evaluation {
            var perClass: [[String: Any]] = []
            for (c, name) in run.classes.enumerated() {
                perClass.append(["class": name, "support": e.support(c),
                                 "precision": e.precision(c) ?? NSNull(), "recall": e.recall(c) ?? NSNull()])
            }
            s["evaluation"] = ["accuracy": e.accuracy, "evaluated": e.total, "correct": e.correct,
                               "per_class": perClass, "confusion": e.confusion,
                               "unknown_labels": run.unknownLabels.sorted()] as [String: Any]
        }
        return s
    }

    public var summaryJSON: String {
        String(decoding: try! JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self) + "\n"
    }

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }

    public var headline: String {
        var s = "\(run.rows.count) inputs: \(run.classifiedCount) classified, \(run.rows.count - run.classifiedCount) unreadable"
        if let e = run.evaluation { s += String(format: "\naccuracy %.4f (%d of %d with a known class)", e.accuracy, e.correct, e.total) }
        return s
    }

    public var markdown: String {
        var md = ["# Classification run", "", "- model: `\(modelPath)`", "- inputs: " + inputs.map { "`\($0)`" }.joined(separator: ", "),
                  "- classes: " + run.classes.joined(separator: ", "),
                  "- encoder: " + (info.encoderSource.map { "`\($0)`" } ?? "fresh weights (--scratch)"), "",
                  headline.replacingOccurrences(of: "\n", with: "  \n"), ""]
        if let e = run.evaluation {
            md += ["## Per class", "", "| class | support | precision | recall |", "| --- | ---: | ---: | ---: |"]
            for (c, name) in run.classes.enumerated() {
                md.append("| \(name) | \(e.support(c)) | \(Self.percent(e.precision(c))) | \(Self.percent(e.recall(c))) |")
            }
            md += ["", "## Confusion matrix (rows: true class, columns: predicted)", "",
                   "| | " + run.classes.joined(separator: " | ") + " |",
                   "| --- |" + String(repeating: " ---: |", count: run.classes.count)]
            for (c, name) in run.classes.enumerated() {
                md.append("| **\(name)** | " + e.confusion[c].map(String.init).joined(separator: " | ") + " |")
            }
            md.append("")
        }
        let failed = run.rows.filter { $0.error != nil }
        if !failed.isEmpty {
            md += ["## Unreadable inputs", ""] + failed.map { "- `\($0.path)`: \($0.error!)" } + [""]
        }
        return md.joined(separator: "\n")
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public var html: String {
        var h = ["<!doctype html><html><head><meta charset=\"utf-8\"><title>Classification run</title>",
                 "<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>",
                 "<h1>Classification run</h1>",
                 "<p>model: <code>\(Self.escape(modelPath))</code><br>inputs: \(inputs.map { "<code>\(Self.escape($0))</code>" }.joined(separator: ", "))<br>classes: \(Self.escape(run.classes.joined(separator: ", ")))<br>encoder: \(Self.escape(info.encoderSource ?? "fresh weights (--scratch)"))</p>",
                 "<p>" + Self.escape(headline).replacingOccurrences(of: "\n", with: "<br>") + "</p>"]
        if let e = run.evaluation {
            h.append("<h2>Per class</h2><table><tr><th>class</th><th>support</th><th>precision</th><th>recall</th></tr>")
            for (c, name) in run.classes.enumerated() {
                h.append("<tr><td>\(Self.escape(name))</td><td>\(e.support(c))</td><td>\(Self.percent(e.precision(c)))</td><td>\(Self.percent(e.recall(c)))</td></tr>")
            }
            h.append("</table><h2>Confusion matrix</h2><p>Rows: true class; columns: predicted.</p><table><tr><th></th>"
                     + run.classes.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>")
            let top = max(1, e.confusion.joined().max() ?? 1)
            for (c, name) in run.classes.enumerated() {
                let cells = e.confusion[c].enumerated().map { j, v -> String in
                    let a = Double(v) / Double(top)
                    let colour = j == c ? "rgba(40,140,60,\(String(format: "%.2f", a)))" : "rgba(200,50,40,\(String(format: "%.2f", min(1, a * 3))))"
                    return "<td style=\"background:\(colour)\">\(v)</td>"
                }.joined()
                h.append("<tr><th>\(Self.escape(name))</th>\(cells)</tr>")
            }
            h.append("</table>")
        }
        let failed = run.rows.filter { $0.error != nil }
        if !failed.isEmpty {
            h.append("<h2>Unreadable inputs</h2><ul>" + failed.map { "<li><code>\(Self.escape($0.path))</code>: \(Self.escape($0.error!))</li>" }.joined() + "</ul>")
        }
        h.append("<p>Every input is listed in predictions.csv.</p></body></html>")
        return h.joined(separator: "\n")
    }
}
