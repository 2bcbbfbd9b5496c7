import AnomalyDetection
import CommandSupport
import Foundation
import NeuralNet

/// The Markdown section a `bench oneclass` run writes into reports/quality.md. Each
/// (dataset, architecture, scoring, protocol) has its own section between markers, which
/// a later run of the same kind replaces; everything else in the file is kept.
struct OneClassReport {
    let dataset: String
    let validation: Bool
    let architecture: Architecture
    let scoring: ScoringRule
    let training: TrainingOptions
    let pcaComponents: Int
    let results: [OneClassBenchmark.ClassResult]
    let wallSeconds: Double
    let testCount: Int
    let threads: Int
    let command: String

    var datasetName: String { dataset == "mnist" ? "MNIST" : "Fashion-MNIST" }
    var key: String { "oneclass \(dataset) \(architecture.name) \(scoring)" + (validation ? " validation" : "") }

    static func line(_ r: OneClassBenchmark.ClassResult) -> String {
        var s = String(format: "class %d: AUROC %.4f  F1 %.4f  FPR %.2f%% (%d/%d)", r.normalClass, r.network.auroc,
                       r.network.f1, 100 * r.network.observedFPR, r.network.flaggedNormals, r.network.normals)
        if let p = r.pca { s += String(format: "   PCA AUROC %.4f  FPR %.2f%%", p.auroc, 100 * p.observedFPR) }
        return s + String(format: "   %.1fs", r.network.seconds)
    }

    func mean(_ f: (OneClassBenchmark.ClassResult) -> Double?) -> Double {
        let v = results.compactMap(f)
        return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }

    var meanLine: String {
        var s = String(format: "mean AUROC %.4f over %d classes (lowest %.4f)", mean { $0.network.auroc }, results.count,
                       results.map(\.network.auroc).min() ?? .nan)
        if pcaComponents > 0 { s += String(format: "; PCA %.4f", mean { $0.pca?.auroc }) }
        return s + String(format: "; wall time %.0f s", wallSeconds)
    }

    var markdown: String {
        let testSet = validation ? "the last 10,000 training images (validation protocol: the test set is not used)"
                                 : "the \(grouped(testCount)) test images"
        var lines = [
            "## One-class benchmark: \(datasetName), `\(architecture.name)` scored by `\(scoring)`" + (validation ? " (validation)" : ""),
            "",
            "Measured \(ISO8601DateFormatter().string(from: Date())) by `\(command)`.",
            "Per class k: fit on the training images of k (10% held out for calibration, never trained on), "
                + "score \(testSet); anomaly = class ≠ k. Threshold `quantile:0.99` on the held-out scores. "
                + "\(training.epochs) epochs" + (training.patience.map { ", early stopping with patience \($0)" } ?? "")
                + String(format: ", batch %d, Adam %g, seed %d.", training.batchSize, training.learningRate, training.seed)
                + (pcaComponents > 0 ? " PCA: \(pcaComponents) components, pixel reconstruction error, same split and calibration." : ""),
            "",
        ]
        let pca = pcaComponents > 0
        lines.append("| class | AUROC | F1 | FPR on normal test images | " + (pca ? "PCA AUROC | PCA F1 | PCA FPR | " : "") + "epochs (kept) | seconds |")
        lines.append("| --- | --- | --- | --- | " + (pca ? "--- | --- | --- | " : "") + "--- | --- |")
        for r in results {
            var row = "| \(r.normalClass) | " + f4(r.network.auroc) + " | " + f4(r.network.f1) + " | " + fpr(r.network) + " | "
            if let p = r.pca { row += f4(p.auroc) + " | " + f4(p.f1) + " | " + fpr(p) + " | " }
            row += "\(r.epochsRun) (\((r.keptEpoch ?? r.epochsRun - 1) + 1)) | " + String(format: "%.1f", r.network.seconds) + " |"
            lines.append(row)
        }
        var meanRow = "| **mean** | **" + f4(mean { $0.network.auroc }) + "** | " + f4(mean { $0.network.f1 }) + " | "
            + pct(mean { $0.network.observedFPR }) + " | "
        if pca { meanRow += "**" + f4(mean { $0.pca?.auroc }) + "** | " + f4(mean { $0.pca?.f1 }) + " | " + pct(mean { $0.pca?.observedFPR }) + " | " }
        lines.append(meanRow + " | " + String(format: "%.1f", results.map(\.network.seconds).reduce(0, +)) + " |")
        lines += ["", "Calibration (`quantile:0.99`, rank ⌈(n + 1)·0.99⌉ of the n held-out scores):", "",
                  "| class | held out (n) | threshold | guaranteed FPR bound | observed FPR | " + (pca ? "PCA threshold | PCA observed FPR |" : ""),
                  "| --- | --- | --- | --- | --- | " + (pca ? "--- | --- |" : "")]
        for r in results {
            let n = r.network
            var row = "| \(r.normalClass) | \(n.calibrationCount) | " + String(format: "%.5g", n.threshold) + " | "
                + (n.falsePositiveBound.map(pct) ?? "—") + " | " + fpr(n) + " | "
            if let p = r.pca { row += String(format: "%.5g", p.threshold) + " | " + fpr(p) + " |" }
            lines.append(row)
        }
        let inside = results.filter { (0.005...0.02).contains($0.network.observedFPR) }.count
        lines += ["", "Observed false-positive rate within [0.5%, 2%] for \(inside) of \(results.count) classes.",
                  "", String(format: "Wall time %.0f s for the whole run (networks, PCA, data loading); ", wallSeconds)
                    + "\(threads) threads. Versions: aedetect \(ToolVersion.string), "
                    + "\(compilerVersion), \(BLASInfo.config)."]
        return lines.joined(separator: "\n")
    }

    private func f4(_ x: Double) -> String { String(format: "%.4f", x) }
    private func pct(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
    private func fpr(_ r: OneClassBenchmark.Result) -> String { pct(r.observedFPR) + " (\(r.flaggedNormals)/\(r.normals))" }

    /// Replaces this run's section of `file` (between its markers), or appends it.
    func update(file path: String) throws { try Self.write(section: key, body: markdown, to: path) }

    /// Replaces the section `key` of the Markdown file at `path` (between its markers), or appends it.
    static func write(section key: String, body: String, to path: String) throws {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Detection quality\n"
        let text = Self.replacingSection(in: existing, key: key, with: body)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func replacingSection(in text: String, key: String, with body: String) -> String {
        let begin = "<!-- begin \(key) -->", end = "<!-- end \(key) -->"
        let block = begin + "\n" + body + "\n" + end
        if let b = text.range(of: begin), let e = text.range(of: end, range: b.upperBound..<text.endIndex) {
            return text.replacingCharacters(in: b.lowerBound..<e.upperBound, with: block)
        }
        return text.hasSuffix("\n") ? text + "\n" + block + "\n" : text + "\n\n" + block + "\n"
    }
}

private var compilerVersion: String {
    #if compiler(>=6.3)
    return "Swift 6.3+"
    #elseif compiler(>=6.0)
    return "Swift 6.x"
    #else
    return "Swift"
    #endif
}

private func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return out
}
