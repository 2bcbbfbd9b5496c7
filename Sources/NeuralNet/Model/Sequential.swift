/// A stack of layers built from an `Architecture`, with its loss.
public final class Sequential {
    public let architecture: Architecture
    public let layers: [Layer]
    /// True when the last layer's sigmoid is folded into binary cross-entropy: the last
    /// layer then runs linearly and `predict` applies the sigmoid itself.
    public let sigmoidFolded: Bool
    private let probabilities = Tensor()
    private let lossTerms = Tensor()
    private var cachedReplicas: [Sequential] = []
    /// Set when every layer is Dense: inference then splits each batch once, not per layer.
    private let denseStack: DenseStack?
    /// Samples per forward and backward pass when training on a larger batch (the trainer
    /// sums the chunks' gradients): set for recurrent models, whose tape grows with the
    /// batch. At the lstm preset's batch of 300 it was about 2 MB per direction, past L2,
    /// and reading it back made backward through time three times slower than on 64 samples.
    /// One block: each core trains whole chunks on its own model (the trainer), so the tapes
    /// of all four directions of the lstm preset are on one core, about 0.8 MB in chunks of
    /// 32 samples and twice that, past its L2, in chunks of 64.
    public internal(set) var trainingChunk: Int?
    /// Threads the model's layers, its trainer and its scoring share work between.
    public var parallelism: Parallelism {
        didSet { for case let layer as ThreadedLayer in layers { layer.parallelism = parallelism } }
    }

    public init(architecture: Architecture, seed: UInt64, parallelism: Parallelism = .machine) throws {
        var rng = SeededRandom(seed: seed)
        self.architecture = architecture
        self.layers = try architecture.buildLayers(rng: &rng)
        // Nothing consumes dL/d(input data): a first conv, dense or LSTM layer skips that part of its backward.
        (layers.first as? InputGradientOptional)?.needsInputGradient = false
        denseStack = DenseStack(layers)
        trainingChunk = Sequential.trainingChunk(for: layers)
        self.parallelism = parallelism
        for case let layer as ThreadedLayer in layers { layer.parallelism = parallelism }
        if architecture.loss == .binaryCrossentropy, let last = layers.last as? ActivatedLayer, last.activation == .sigmoid {
            last.activation = .linear
            sigmoidFolded = true
        } else {
            sigmoidFolded = false
        }
    }

    /// How many samples of a batch train at a time, when not all at once. Recurrent layers: one
    /// block of the LSTM kernel, so the tape stays in L2. Models of convolutions and pooling only:
    /// their activations are large per image (28×28×10 floats in the denoise preset) and their
    /// weights tiny, so a whole batch of 300 streams a 9 MB tensor through memory in every layer;
    /// 16 images at a time stay in cache (denoise 0.166 → 0.130 s/epoch). A Dense layer wants the
    /// whole batch for its GEMMs (the conv preset gained nothing).
    static func trainingChunk(for layers: [Layer]) -> Int? {
        if layers.contains(where: { $0 is LSTM || $0 is Bidirectional }) { return LSTMTraining.lanes }
        if layers.allSatisfy({ $0 is Conv2D || $0 is Conv2DTranspose || $0 is MaxPooling2D }) { return 16 }
        return nil
    }

    /// A model of the same architecture with a copy of these weights and the same chunk, for
    /// training or running part of a batch on another thread (its layers keep their own
    /// activations); it runs on that one thread.
    public func replica() -> Sequential {
        // The architecture already built this model, so it builds again.
        let copy = try! Sequential(architecture: architecture, seed: 0, parallelism: .serial)
        copy.trainingChunk = trainingChunk
        copy.copyWeights(from: self)
        return copy
    }

    /// `n` replicas with this model's current weights, for inference on `n` threads; kept
    /// between calls, so their layers' buffers are allocated (and page-faulted) once per run
    /// rather than once per batch. The weights are copied afresh on every call.
    public func inferenceReplicas(_ n: Int) -> [Sequential] {
        while cachedReplicas.count < n { cachedReplicas.append(replica()) }
        for r in cachedReplicas.prefix(n) { r.copyWeights(from: self) }
        return Array(cachedReplicas.prefix(n))
    }

    /// Copies the weights of `other`, a model of the same architecture.
    func copyWeights(from other: Sequential) {
        for (p, q) in zip(parameters, other.parameters) { p.value.copy(from: q.value) }
    }

    public var inputShape: [Int] { architecture.inputShape }
    public var outputShape: [Int] { layers.last!.outputShape }
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Parameters under the names they have in the model file: `layers.<i>.<weight>`.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        layers.enumerated().flatMap { i, l in l.parameters.map { ("layers.\(i).\($0.name)", $0) } }
    }

    /// Runs every layer; with a folded sigmoid the result is the pre-sigmoid output.
    public func forwardRaw(_ x: Tensor, training: Bool) -> Tensor {
        var h = x
        for l in layers { h = l.forward(h, training: training) }
        return h
    }

    /// The reconstruction (sigmoid applied if it was folded). Valid until the next call.
    /// With `capture`, the output of layer `capture.layer` is copied there on the way.
    public func predict(_ x: Tensor, capture: (layer: Int, into: UnsafeMutablePointer<Float>)? = nil) -> Tensor {
        Parallelism.withSingleThreadedBLAS { predictRaw(x, capture: capture) }
    }

    private func predictRaw(_ x: Tensor, capture: (layer: Int, into: UnsafeMutablePointer<Float>)?) -> Tensor {
        var raw = x
        if let whole = denseStack?.predict(x, parallelism: parallelism, capture: capture) {
            raw = whole
        } else {
            for (i, l) in layers.enumerated() {
                raw = l.forward(raw, training: false)
                if let capture, capture.layer == i { capture.into.update(from: raw.ptr, count: raw.count) }
            }
        }
        guard sigmoidFolded else { return raw }
        probabilities.copy(from: raw)
        Activation.sigmoid.apply(probabilities.ptr, probabilities.count)
        return probabilities
    }

    /// Output of the encoder layer (the latent code).
    public func encode(_ x: Tensor) throws -> Tensor {
        guard let e = architecture.encoderLayer else { throw ArchitectureError.encoder(-1, layers.count) }
        return Parallelism.withSingleThreadedBLAS {
            var h = x
            for l in layers[...e] { h = l.forward(h, training: false) }
            return h
        }
    }

    /// Backpropagates dL/d(raw output) through every layer, filling parameter gradients.
    public func backward(_ dOutput: Tensor) {
        var g = dOutput
        for l in layers.reversed() { g = l.backward(g) }
    }

    /// Loss of the raw output against `target`, optionally writing dL/d(raw output).
    public func loss(rawOutput: Tensor, target: Tensor, grad: Tensor? = nil) -> Double {
        architecture.loss.compute(output: rawOutput, target: target, fromLogits: sigmoidFolded, grad: grad, scratch: lossTerms,
                                  parallelism: parallelism)
    }
}
