import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import NeuralNet

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an autoencoder on normal samples and calibrate its outlier threshold.",
        discussion: """
        INPUT is an IDX images file (gzipped or not; with --labels and --normal-class to keep one class) or a \
        folder of PNG or JPEG images (with --normal-class to keep one sub-folder). A slice of the normal samples \
        (--calibration-fraction, default 10%) is held out, never trained on, and its reconstruction errors set \
        the threshold. The model file carries the weights, the preprocessing and the calibration.
        """)

    @Argument(help: "IDX images file or image folder (PNG, JPEG) of normal samples.")
    var input: String

    @Option(help: "IDX labels file for an IDX input.")
    var labels: String?

    @Option(help: "Keep only this class: a label of --labels, or a sub-folder name of an image folder.")
    var normalClass: String?

    @OptionGroup var architectureOptions: ArchitectureOptions
    var preset: String? { architectureOptions.preset }
    var arch: String? { architectureOptions.arch }

    @Option(help: "Training epochs (default: 20).")
    var epochs: Int?

    @OptionGroup var batchSizeOption: BatchSizeOption
    var batchSize: Int? { batchSizeOption.batchSize }

    @Option(help: "Adam learning rate (default: the architecture's).")
    var lr: Float?

    @Option(help: "Random seed (weights, shuffling, noise, calibration split).")
    var seed: UInt64 = 0

    @Option(help: "Denoising training: input noise σ in clip(x + σ·N(0,1), 0, 1) (default: the architecture's).")
    var noise: Float?

    @Option(help: "Early stopping: epochs without validation improvement before stopping (best weights restored).")
    var patience: Int?

    @Option(help: "Share of the normal samples held out for calibration, never trained on.")
    var calibrationFraction = 0.1

    @Option(help: "Threshold method: quantile:Q, sigma:K, contamination:C or evt:Q.")
    var threshold = "quantile:0.99"

    @OptionGroup var scoringOption: ScoringOption
    var scoring: String? { scoringOption.scoring }

    @Option(name: .shortAndLong, help: "Model file to write.")
    var out = "model.safetensors"

    @OptionGroup var forceOption: ForceOption
    var force: Bool { forceOption.force }

    @Flag(help: "Invert images (1 − v) for dark-on-light inputs such as scans.")
    var invert = false

    @Flag(help: "Resample images of another size to the model's input instead of refusing them.")
    var resize = false

    @Option(help: "Budget of optimisation steps of the default detector on images other than 28×28 grayscale (default: 3000; early stopping may end sooner).")
    var steps: Int?

    @Flag(help: "Fit the default detector on one channel (luma) even when the images are colour.")
    var grayscale = false

    @Option(help: "Input size HxW of the default detector (default: the most common size among the images).")
    var size: String?

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int { threadsOption.threads }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    @Option(help: "Write a training checkpoint every E epochs (and after the last), to --checkpoint.")
    var checkpointEvery: Int?

    @Option(help: "Checkpoint file (default: --out with .checkpoint appended, or the --resume file).")
    var checkpoint: String?

    @Option(help: "Go on from this checkpoint: same command and options, same result as a fit never interrupted.")
    var resume: String?

    func validate() throws {
        if labels != nil && normalClass == nil { throw ValidationError("--labels needs --normal-class") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let e = checkpointEvery, e < 1 { throw ValidationError("--checkpoint-every must be at least 1") }
        if (size != nil || grayscale) && (preset != nil || arch != nil) {
            throw ValidationError("--size and --grayscale set the default detector's input; a preset or architecture file sets its own")
        }
        _ = try parsedSize()
        _ = try parseThreshold()
    }

    /// `--size HxW` as (height, width).
    func parsedSize() throws -> (height: Int, width: Int)? {
        guard let size else { return nil }
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 >= 1 && $0 <= 16384 }) else {
            throw ValidationError("--size must be HxW in pixels, e.g. 64x64 (got \(size))")
        }
        return (parts[0], parts[1])
    }

    func parseThreshold() throws -> ThresholdMethod {
        do { return try ThresholdMethod(parsing: threshold) } catch { throw ValidationError("--threshold: \(error)") }
    }

    func run() throws {
        try reportingErrors {
            threadsOption.apply()
            let interruption = Interruption()
            let url = URL(fileURLWithPath: out)
            if !force && FileManager.default.fileExists(atPath: out) { throw ModelFileError.exists(out) }
            try Fit.checkWritable(url)
            if preset == nil && arch == nil, let geometry = try dataGeometry(), !DefaultDetector.isDense(geometry) {
                return try fitTiled(geometry, interruption: interruption)
            }
            let architecture = try arch.map { try Architecture.load(contentsOf: URL(fileURLWithPath: $0)) }
                ?? Presets.named(preset ?? Presets.defaultName)
            let preprocessing = try Preprocessing(for: architecture, invert: invert, resize: resize)
            let data = try NormalSamples.load(input, labels: labels, normalClass: normalClass, preprocessing: preprocessing,
                                             onFailure: { note("skipped \($0): \($1)") })
            if !quiet { note("fit: \(data.count) normal samples from \(input)" + (data.failed.isEmpty ? "" : ", \(data.failed.count) unreadable (listed above)")) }

            var training = TrainingOptions(for: architecture, epochs: epochs ?? Presets.defaultEpochs, seed: seed)
            if let batchSize { training.batchSize = batchSize }
            if let lr { training.learningRate = lr }
            if let noise { training.noise = noise }
            training.patience = patience
            var job = DetectorFit(architecture: architecture, training: training, preprocessing: preprocessing)
            job.parallelism = threadsOption.parallelism
            job.calibrationFraction = calibrationFraction
            job.threshold = try parseThreshold()
            job.scoring = try scoring.map { try ScoringRule(parsing: $0) } ?? .recommended(forArchitecture: architecture.name)
            job.scoringIsDefault = scoring == nil
            job.provenance = ["input": input, "normal_class": normalClass ?? "", "date": ISO8601DateFormatter().string(from: Date()),
                              "architecture": architecture.name]
            let checkpoints = try FitCheckpoints(path: checkpoint ?? (checkpointEvery == nil ? nil : out + ".checkpoint"),
                                                 every: checkpointEvery, resume: resume,
                                                 settings: settings(architecture: architecture, training: training, scoring: job.scoring, data: data),
                                                 epochs: training.epochs, interruption: interruption)
            if let path = checkpoints.path, checkpointEvery != nil { try Fit.checkWritable(path) }
            interruption.explanation = { checkpoints.explanation }
            job.prepareTrainer = checkpoints.prepare
            if let done = checkpoints.resumedEpochs, !quiet { note("fit: resuming from \(resume!) after epoch \(done)") }
            let bar = ProgressBar(quiet: quiet, batchSize: training.batchSize)
            let (detector, _) = try job.run(images: data.images, count: data.count, progress: bar.handle)
            if detector.scoring != job.scoring, !quiet {
                note("fit: too few samples for \(job.scoring)'s code distance; scoring by \(detector.scoring)")
            }
            try interruption.deferring { try detector.save(to: url, overwrite: force) }
            bar.finish("fit: wrote \(out)")
            print(FitSummary(detector).text)
        }
    }
}

/// What a fit produced, in a few lines for the terminal.
struct FitSummary {
    let detector: Detector
    init(_ d: Detector) { detector = d }

    var text: String {
        let c = detector.calibration
        var lines = ["scoring: \(detector.scoring)"]
        lines += [String(format: "threshold %.6g (%@) from %d held-out normal samples: mean %.4g, std %.4g, max %.4g",
                            c.threshold, c.method.description, c.summary.n, c.summary.mean, c.summary.std, c.summary.max)]
        if let bound = c.falsePositiveBound { lines.append(String(format: "expected false-positive rate on normal data ≤ %.2f%%", bound * 100)) }
        if let w = c.warning { lines.append("warning: \(w)") }
        if let last = detector.history.loss.last {
            lines.append(String(format: "final training loss %.5f", last)
                         + (detector.history.validationLoss.last.map { String(format: ", validation loss %.5f", $0) } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
