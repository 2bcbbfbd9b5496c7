import AnomalyDetection
import ArgumentParser
import CommandSupport
import DataIO
import Foundation
import NeuralNet

/// `aedetect bench oneclass`: the standard one-class benchmark, one class after another,
/// with the PCA baseline in the same run; with --report FILE, writes its section of that file.
struct BenchOneClass: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oneclass",
        abstract: "One-class benchmark: per class k, fit on training images of k, score all test images (anomaly = class ≠ k).",
        discussion: """
        Reports ROC AUC, F1 and the observed false-positive rate on the normal test images at the calibrated \
        threshold, for the network and for a PCA baseline fitted and calibrated on the same split. With \
        --validation the real test set is not touched: the last 10,000 training images play the test set and \
        the fits use the rest (for choosing settings). The results are printed; --report FILE also writes them \
        as this run's section of a Markdown file (reports/quality.md holds the published ones).
        """)

    @Option(help: "mnist or fashion.")
    var dataset = "mnist"

    @Option(help: "Folder with train-/t10k- images and labels IDX files (default: the dataset's usual place).")
    var data: String?

    @OptionGroup var architectureOptions: ArchitectureOptions

    @OptionGroup var scoringOption: ScoringOption

    @Option(help: "Classes to run, comma-separated (default: all).")
    var classes: String?

    @Option(help: "Training epochs (default: 20).")
    var epochs: Int?

    @Option(help: "Early stopping patience (epochs), on a slice of the training part.")
    var patience: Int?

    @OptionGroup var batch: BatchSizeOption

    @Option(help: "Adam learning rate (default: the architecture's).")
    var lr: Float?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "PCA baseline components (0: no baseline).")
    var pcaComponents = 32

    @Flag(help: "Choose settings without the test set: the last 10,000 training images are the test set.")
    var validation = false

    @Option(help: "Markdown file to update with the results (this dataset and method's section is replaced, the rest kept), e.g. reports/quality.md; without it nothing is written.")
    var report: String?

    @OptionGroup var threadCount: ThreadsOption

    @OptionGroup var output: QuietOption

    func validate() throws {
        guard ["mnist", "fashion"].contains(dataset) else { throw ValidationError("--dataset must be mnist or fashion") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        _ = try chosenClasses()
    }

    func chosenClasses() throws -> [Int] {
        guard let classes else { return Array(0..<10) }
        let parsed = classes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil && (0...9).contains($0!) }) else {
            throw ValidationError("--classes takes labels 0–9 separated by commas (got \(classes))")
        }
        return parsed.map { $0! }
    }

    var dataFolder: String {
        data ?? (dataset == "mnist" ? "../shared/data/mnist" : "/usr/share/datasets/fashion-mnist")
    }

    func run() throws {
        try reportingErrors {
            let threads = threadCount.apply()
            let wall = Date()
            let architecture = try architectureOptions.architecture()
            let rule = try scoringOption.rule(for: architecture)
            var (train, test) = try loadData()
            if validation { (test, train) = train.split(first: 10_000) }

            var training = TrainingOptions(for: architecture, epochs: epochs ?? Presets.defaultEpochs, seed: seed)
            if let batchSize = batch.batchSize { training.batchSize = batchSize }
            if let lr { training.learningRate = lr }
            training.patience = patience
            var bench = OneClassBenchmark(architecture: architecture, training: training, scoring: rule)
            bench.pcaComponents = pcaComponents

            var results: [OneClassBenchmark.ClassResult] = []
            for k in try chosenClasses() {
                let bar = ProgressBar(quiet: output.quiet, batchSize: training.batchSize)
                let r = try bench.run(normalClass: k, train: train, test: test, progress: bar.handle)
                bar.finish("class \(k): fitted and scored")
                results.append(r)
                print(OneClassReport.line(r))
            }
            let summary = OneClassReport(dataset: dataset, validation: validation, architecture: architecture,
                                         scoring: rule, training: training, pcaComponents: pcaComponents,
                                         results: results, wallSeconds: Date().timeIntervalSince(wall),
                                         testCount: test.count, threads: threads,
                                         command: Self.recordedCommand(CommandLine.arguments.dropFirst()))
            print(summary.meanLine)
            if let report {
                try summary.update(file: report)
                print("updated \(report)")
            }
        }
    }

    /// The command line as the report records it: without --data and --report, whose paths
    /// are this machine's (the dataset is named by --dataset), so the line reruns anywhere.
    static func recordedCommand<S: Sequence<String>>(_ arguments: S) -> String {
        var kept = ["aedetect"], skipNext = false
        for a in arguments {
            if skipNext { skipNext = false; continue }
            if a == "--data" || a == "--report" { skipNext = true; continue }
            if a.hasPrefix("--data=") || a.hasPrefix("--report=") { continue }
            kept.append(a)
        }
        return kept.joined(separator: " ")
    }

    private func loadData() throws -> (train: Dataset, test: Dataset) {
        let dir = dataFolder
        let train = try Dataset.loadIDX(images: dir + "/train-images-idx3-ubyte.gz", labels: dir + "/train-labels-idx1-ubyte.gz")
        let test = try Dataset.loadIDX(images: dir + "/t10k-images-idx3-ubyte.gz", labels: dir + "/t10k-labels-idx1-ubyte.gz")
        return (train, test)
    }
}
