import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import NeuralNet

/// `aedetect bench folders SUITE`: the default detector on every texture of a defect suite
/// (scripts/make-texture-suite), against PCA on the native pixels in the same run.
struct BenchFolders: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folders",
        abstract: "Run the image-folder benchmark on a defect suite: fit the default detector on each texture's train/, evaluate on validation/ or test/ with its masks, PCA(32) baseline (a benchmark, not a test).",
        discussion: "SUITE holds one folder per texture with train/good, <split>/{good,<defects>} and <split>-masks/ (scripts/make-texture-suite builds them).")

    @Argument(help: "Suite folder (one sub-folder per texture).")
    var suite: String

    @Option(help: "Split to evaluate: validation (for choosing settings) or test (once the settings are fixed).")
    var split = "validation"

    @Option(help: "Textures to run, comma-separated (default: all).")
    var only: String?

    @Option(help: "PCA baseline components (0: no baseline).")
    var pca = 32

    @Option(help: "Random seed of the fits.")
    var seed: UInt64 = 0

    @Option(help: "Optimisation-step budget of the fits (default: fit's).")
    var steps: Int?

    @Option(help: "Markdown report to update (its section for this suite and split is replaced).")
    var report = "reports/quality.md"

    @Flag(help: "Print the results only; write no report.")
    var noReport = false

    @OptionGroup var threadCount: ThreadsOption

    func validate() throws {
        guard ["validation", "test"].contains(split) else { throw ValidationError("--split must be validation or test") }
    }

    func run() throws {
        try reportingErrors {
            threadCount.apply()
            let names = try FileManager.default.contentsOfDirectory(atPath: suite)
                .filter { FileManager.default.fileExists(atPath: suite + "/" + $0 + "/train") }.sorted()
                .filter { name in only.map { $0.split(separator: ",").map(String.init).contains(name) } ?? true }
            guard !names.isEmpty else { throw ValidationError("\(suite): no texture folders with a train/ folder") }
            var results: [FolderBenchmark.Result] = []
            for name in names {
                note("bench folders: \(name)")
                let r = try FolderBenchmark.run(suite + "/" + name, split: split, pcaComponents: pca, seed: seed, steps: steps) { note("bench folders: " + $0) }
                print(FolderReport.line(r))
                results.append(r)
            }
            let table = FolderReport(suite: suite, split: split, steps: steps, results: results)
            print(table.summary)
            if !noReport { try OneClassReport.write(section: table.key, body: table.markdown, to: report) }
        }
    }
}

/// The benchmark's lines and its Markdown section.
struct FolderReport {
    let suite: String, split: String
    var steps: Int? = nil
    let results: [FolderBenchmark.Result]

    var key: String { "folders \((suite as NSString).lastPathComponent) \(split)" + (steps.map { " steps \($0)" } ?? "") }

    static func f3(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "n/a" }

    static func line(_ r: FolderBenchmark.Result) -> String {
        "\(r.name): image AUC \(f3(r.imageAUC)) (PCA \(f3(r.pcaImageAUC)))  pixel AUC \(f3(r.pixelAUC)) (PCA \(f3(r.pcaPixelAUC)))  PRO \(f3(r.proAUC))  "
            + r.perDefect.map { "\($0.defect) \(f3($0.auc))" }.joined(separator: " ")
            + String(format: "  fit %.0f s, score %.0f images/s", r.fitSeconds, r.scoredPerSecond)
    }

    func mean(_ f: (FolderBenchmark.Result) -> Double?) -> Double? {
        let v = results.compactMap(f)
        return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
    }

    var summary: String {
        "mean: image AUC \(Self.f3(mean(\.imageAUC))) (PCA \(Self.f3(mean(\.pcaImageAUC))))  pixel AUC \(Self.f3(mean(\.pixelAUC)))  PRO \(Self.f3(mean(\.proAUC)))"
    }

    var markdown: String {
        let defects = results.first?.perDefect.map(\.defect) ?? []
        let command = "aedetect bench folders \(suite) --split \(split)" + (steps.map { " --steps \($0)" } ?? "")
        var lines = ["### `\((suite as NSString).lastPathComponent)`, \(split) split (`\(command)`)", "",
                     "Geometry \(results.first?.geometry ?? "?"); default detector (no flags) against PCA(32) on the native pixels, fitted in the same run.", "",
                     "| texture | image AUC | PCA image AUC | pixel AUC | PCA pixel AUC | PRO AUC | " + defects.joined(separator: " | ") + " | fit s | images/s |",
                     "|" + String(repeating: " --- |", count: 8 + defects.count)]
        for r in results {
            lines.append("| \(r.name) | \(Self.f3(r.imageAUC)) | \(Self.f3(r.pcaImageAUC)) | \(Self.f3(r.pixelAUC)) | \(Self.f3(r.pcaPixelAUC)) | \(Self.f3(r.proAUC)) | "
                         + r.perDefect.map { Self.f3($0.auc) }.joined(separator: " | ")
                         + String(format: " | %.0f | %.0f |", r.fitSeconds, r.scoredPerSecond))
        }
        lines.append("| **mean** | **\(Self.f3(mean(\.imageAUC)))** | \(Self.f3(mean(\.pcaImageAUC))) | **\(Self.f3(mean(\.pixelAUC)))** | \(Self.f3(mean(\.pcaPixelAUC))) | \(Self.f3(mean(\.proAUC))) |"
                     + String(repeating: " |", count: defects.count + 2))
        return lines.joined(separator: "\n")
    }
}
