import ArgumentParser
import CommandSupport
import Foundation
import NeuralNet

/// `aedetect bench layers`: forward and backward time of each layer of a preset on a random
/// batch, the minimum over repetitions (the least disturbed by other load on the machine).
struct BenchLayers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "Time each layer's forward and backward on one batch (minimum of repetitions; a benchmark, not a test).",
        discussion: "Times the conv preset unless --preset or --arch says otherwise. The batch is the architecture's, or for presets that train in chunks the chunk, which each core trains on its own, unless --batch-size.")

    @OptionGroup var architectureOptions: ArchitectureOptions

    @OptionGroup var batch: BatchSizeOption

    @Option(help: "Repetitions; the minimum is reported.")
    var repetitions = 20

    @Option(help: "Convolution kernels: 'chosen' (each layer's own choice, as inspect prints it) or 'im2col' (every convolution through im2col + GEMM, for what the special kernels buy).")
    var kernels = "chosen"

    @OptionGroup var threadCount: ThreadsOption

    func run() throws {
        threadCount.apply()
        let batchSize = batch.batchSize
        let architecture = try architectureOptions.architecture(default: "conv")
        let preset = architecture.name
        let model = try Sequential(architecture: architecture, seed: 0, parallelism: threadCount.parallelism)
        if kernels == "im2col" { forceIm2col(model) } else if kernels != "chosen" { throw ValidationError("--kernels is 'chosen' or 'im2col'") }
        let batch = batchSize ?? model.trainingChunk ?? TrainingOptions(for: architecture, epochs: 1, seed: 0).batchSize
        if batchSize == nil, let chunk = model.trainingChunk {
            print("\(preset) trains its batches in chunks of \(chunk), one chunk per core at a time: timing one chunk (--threads 1 runs it as training does)")
        }
        var rng = SeededRandom(seed: 1)
        var inputs: [Tensor] = [], grads: [Tensor] = []
        var x = Tensor(shape: [batch] + model.inputShape, values: (0..<(batch * model.inputShape.reduce(1, *))).map { _ in rng.uniform() })
        for layer in model.layers {
            inputs.append(x.clone())
            x = layer.forward(x, training: true).clone()
            grads.append(Tensor(shape: x.shape, values: (0..<x.count).map { _ in rng.uniform(-1, 1) * 1e-3 }))
        }
        print("layer".padding(toLength: 18, withPad: " ", startingAt: 0) + "output".padding(toLength: 14, withPad: " ", startingAt: 0) + "    fwd ms    bwd ms  infer ms  kernels")
        for (i, layer) in model.layers.enumerated() {
            var forward = Double.infinity, backward = Double.infinity, inference = Double.infinity
            for _ in 0..<repetitions {
                let t0 = DispatchTime.now().uptimeNanoseconds
                // OpenBLAS single-threaded inside a network, as in training and scoring.
                Parallelism.withSingleThreadedBLAS { _ = layer.forward(inputs[i], training: true) }
                let t1 = DispatchTime.now().uptimeNanoseconds
                Parallelism.withSingleThreadedBLAS { _ = layer.backward(grads[i]) }
                let t2 = DispatchTime.now().uptimeNanoseconds
                Parallelism.withSingleThreadedBLAS { _ = layer.forward(inputs[i], training: false) }
                let t3 = DispatchTime.now().uptimeNanoseconds
                forward = min(forward, Double(t1 - t0) / 1e6)
                backward = min(backward, Double(t2 - t1) / 1e6)
                inference = min(inference, Double(t3 - t2) / 1e6)
            }
            print(layer.kind.padding(toLength: 18, withPad: " ", startingAt: 0) + "\(layer.outputShape)".padding(toLength: 14, withPad: " ", startingAt: 0)
                  + String(format: "%10.3f%10.3f%10.3f", forward, backward, inference)
                  + "  " + (ModelSummary.algorithm(of: layer)?.description ?? "-"))
        }
    }

    /// Every convolution through im2col + GEMM, dX the plain way.
    private func forceIm2col(_ model: Sequential) {
        for layer in model.layers {
            (layer as? Conv2D)?.algorithm = ConvAlgorithm(.im2colGEMM, inputGradientShortcut: false)
            (layer as? Conv2DTranspose)?.algorithm = ConvAlgorithm(.im2colGEMM, inputGradientShortcut: false)
        }
    }
}
