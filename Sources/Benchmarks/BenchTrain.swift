import ArgumentParser
import CommandSupport
import DataIO
import Foundation
import NeuralNet

/// `aedetect bench train`: seconds per epoch and achieved GFLOP/s for a preset.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time training epochs of a preset and report seconds/epoch and GFLOP/s (a benchmark, not a test).",
        discussion: "Trains the dense preset unless --preset or --arch says otherwise, with the architecture's batch size.")

    @OptionGroup var architecture: ArchitectureOptions

    @Option(help: "Number of epochs.")
    var epochs = 10

    @Option(help: "IDX images file (gzipped or raw).")
    var images = "../shared/data/mnist/train-images-idx3-ubyte.gz"

    @Option(help: "Use the first N images.")
    var limit = 3000

    @OptionGroup var batch: BatchSizeOption

    @OptionGroup var threadCount: ThreadsOption

    @Option(help: "Random seed for weights, shuffling and noise.")
    var seed: UInt64 = 0

    @Option(help: "Save the trained model here (overwrites).")
    var save: String?

    @OptionGroup var output: QuietOption

    @Flag(help: "No progress output; print one JSON line (per-epoch seconds and losses) instead of text.")
    var json = false

    func run() throws {
        let threads = threadCount.apply()
        let architecture = try self.architecture.architecture(default: "dense")
        let data = try Dataset.loadIDX(images: images)
        let n = min(limit, data.count)
        let x = Tensor(shape: [n] + architecture.inputShape, values: Array(data.images[0..<(n * data.imageSize)]))
        let model = try Sequential(architecture: architecture, seed: seed, parallelism: threadCount.parallelism)
        var options = TrainingOptions(for: architecture, epochs: epochs, seed: seed)
        if let batchSize = batch.batchSize { options.batchSize = batchSize }
        let bar = ProgressBar(quiet: output.quiet || json, batchSize: options.batchSize)
        let trainer = Trainer(model: model, options: options)
        let history = try trainer.fit(x, progress: bar.handle)

        let seconds = history.epochSeconds
        let steady = Array(seconds.dropFirst(min(2, seconds.count - 1))).sorted()
        let median = steady[steady.count / 2]
        let flops = 3.0 * Double(FLOPs.forwardPerSample(model)) * Double(n)
        if json {
            let lossAt10 = history.loss[min(10, history.loss.count) - 1]
            print(BenchJSON.line(["preset": architecture.name, "threads": threads, "samples": n, "batch": options.batchSize,
                                  "seconds_per_epoch": median, "loss_at_10": lossAt10, "epoch_seconds": seconds,
                                  "losses": history.loss, "gflop_per_epoch": flops / 1e9,
                                  "peak_rss_mb": BenchJSON.peakRSSMegabytes()]))
            return
        }
        print(String(format: "preset %@  samples %d  batch %d  threads %d", architecture.name, n, options.batchSize, threads))
        print(String(format: "seconds/epoch (median of epochs %d–%d): %.4f", min(3, seconds.count), seconds.count, median))
        print(String(format: "GEMM work per epoch: %.2f GFLOP  achieved: %.1f GFLOP/s", flops / 1e9, flops / median / 1e9))
        print(String(format: "loss after %d epochs: %.5f (%@)", history.loss.count, history.loss.last!, architecture.loss.rawValue))
        if let save {
            try ModelFile.save(model, history: history, optimizer: trainer.optimizer, to: URL(fileURLWithPath: save), overwrite: true)
            print("saved \(save)")
        }
    }
}
