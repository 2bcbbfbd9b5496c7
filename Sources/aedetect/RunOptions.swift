import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import NeuralNet
import Reporting

/// Options shared by `score` and `evaluate`.
struct RunOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Model file written by `aedetect fit`.")
    var model: String

    @Option(name: .shortAndLong, help: "Run folder to write (scores.csv, outliers.csv, summary.json, report.html, report.md, grids/, maps/).")
    var out = "run"

    @Option(help: "Choose outliers by Benjamini–Hochberg at this false-discovery rate on the conformal p-values, instead of the threshold.")
    var fdr: Double?

    @Option(help: "How many top outliers to show as reconstruction grids.")
    var top = 16

    @Option(help: ArgumentHelp("Anomaly-map PNGs in maps/: top (the shown outliers'), none, or all (every scored input's).",
                               discussion: "Each map is <name>-map.png (heatmap) and <name>-overlay.png (over the input), named <rank>-<file stem> for top and by the input's path under its argument for all; all re-reads the inputs in batches after scoring.",
                               valueName: "top|none|all"))
    var maps: MapsMode = .top

    @OptionGroup var forceOption: ForceOption
    var force: Bool { forceOption.force }

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int { threadsOption.threads }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    @OptionGroup var images: ImageOptions

    func validate() throws {
        if let fdr, !(fdr > 0 && fdr < 1) { throw ValidationError("--fdr must be between 0 and 1") }
        if top < 0 { throw ValidationError("--top must be at least 0") }
    }

    var selection: OutlierSelection { fdr.map { .falseDiscoveryRate($0) } ?? .threshold }

    func loadDetector() throws -> Detector {
        threadsOption.apply()
        return try images.loadDetector(model, parallelism: threadsOption.parallelism)
    }

    /// Scores every input with a progress line on stderr.
    func score(_ inputs: InputSet, with detector: Detector) -> Verdicts {
        let started = Date()
        return Scorer(detector: detector, selection: selection).verdicts(inputs) { done, total in
            guard !quiet else { return }
            let rate = Double(done) / max(Date().timeIntervalSince(started), 1e-9)
            note(String(format: "scored %d/%d (%.0f inputs/s)", done, total, rate))
        }
    }

    func context(command: String, detector: Detector, inputs: [String]) -> RunReport.Context {
        RunReport.Context(command: command, modelPath: model, architecture: detector.model.architecture.name,
                          parameterCount: detector.model.parameterCount, inputs: inputs,
                          toolVersion: ToolVersion.string, selection: selection.name, fdrLevel: fdr)
    }

    /// The images the report shows, with their anomaly maps unless --maps none.
    func examples(_ verdicts: Verdicts, inputs: InputSet, detector: Detector) -> (outliers: [RunReport.Example], inliers: [RunReport.Example]) {
        ExamplePicker.pick(verdicts, inputs: inputs, detector: detector, top: top, maps: maps != .none)
    }

    /// Writes the run folder (every input's map first, with --maps all) and prints where the report is.
    func write(_ report: RunReport, inputs: InputSet, arguments: [String], detector: Detector) throws {
        var report = report
        report.maps = maps
        if maps == .all {
            // The maps go in first: the folder must be checked and marked incomplete before (score has done so already).
            try RunFolder.begin(URL(fileURLWithPath: out), command: report.context.command, force: force)
            let count = try AllMaps.write(inputs, arguments: arguments, detector: detector, scale: MapScale(report),
                                          to: URL(fileURLWithPath: out)) { done, total in
                if !quiet { note("maps \(done)/\(total)") }
            }
            if !quiet { note("wrote \(count) anomaly maps") }
        }
        try RunFolder.write(report, to: URL(fileURLWithPath: out), force: force)
        let verdicts = report.verdicts
        print("\(verdicts.count) inputs: \(verdicts.scoredCount) scored, \(verdicts.failed.count) unreadable, \(verdicts.outliers.count) outliers")
        print("report: \(out)/report.html")
    }
}

extension MapsMode: ExpressibleByArgument {}
