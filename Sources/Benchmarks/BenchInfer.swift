import ArgumentParser
import CommandSupport
import DataIO
import Foundation
import NeuralNet

/// `aedetect bench infer`: reconstruction throughput of a preset (or a saved model) on the
/// 10,000 MNIST test images. One warm-up pass, then the median of timed passes. The weights
/// do not change the work, so an untrained preset measures the same as a trained model.
struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Time reconstructing a test set in batches and report images/s (a benchmark, not a test).",
        discussion: "Builds the dense preset unless --preset, --arch or --model says otherwise; batches of 1000 unless --batch-size.")

    @OptionGroup var architecture: ArchitectureOptions

    @Option(help: "A saved model instead of a preset.")
    var model: String?

    @Option(help: "IDX images file (gzipped or raw).")
    var images = "../shared/data/mnist/t10k-images-idx3-ubyte.gz"

    @OptionGroup var batch: BatchSizeOption

    @Option(help: "Timed passes over the images (after one warm-up pass).")
    var passes = 5

    @OptionGroup var threadCount: ThreadsOption

    @Flag(help: "Print one JSON line instead of text.")
    var json = false

    func run() throws {
        if model != nil && architecture.isGiven { throw ValidationError("give --model, or --preset or --arch, not both") }
        let threads = threadCount.apply()
        let batchSize = batch.batchSize ?? 1000
        let net = try model.map { try ModelFile.load(from: URL(fileURLWithPath: $0)).model }
            ?? Sequential(architecture: architecture.architecture(default: "dense"), seed: 0)
        net.parallelism = threadCount.parallelism
        let data = try Dataset.loadIDX(images: images)
        let x = Tensor(shape: [data.count] + net.inputShape, values: data.images)
        var checksum = 0.0
        func pass() {
            var start = 0
            while start < x.batch {
                let m = min(batchSize, x.batch - start)
                // A view, as the references slice theirs: copying a batch cost about a tenth of an lstm pass.
                let y = net.predict(Tensor(rowsOf: x, start: start, count: m))
                checksum += Double(y[0])
                start += m
            }
        }
        pass()
        var seconds: [Double] = []
        for _ in 0..<max(1, passes) {
            let started = DispatchTime.now().uptimeNanoseconds
            pass()
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        let median = seconds.sorted()[seconds.count / 2]
        let rate = Double(x.batch) / median
        if json {
            print(BenchJSON.line(["preset": net.architecture.name, "threads": threads, "batch": batchSize,
                                  "images": x.batch, "images_per_second": rate, "peak_rss_mb": BenchJSON.peakRSSMegabytes()]))
        } else {
            print(String(format: "preset %@  images %d  batch %d  threads %d", net.architecture.name, x.batch, batchSize, threads))
            print(String(format: "inference: %.0f images/s (median of %d passes, %.4f s each)", rate, seconds.count, median))
        }
        _ = checksum
    }
}
