/// One layer of an architecture, in the JSON vocabulary of architecture files. Field
/// names follow Keras (`filters`, `kernel_size`, `strides`, `padding`, `activation`,
/// `units`, `return_sequences`, `merge_mode`, `pool_size`, `target_shape`), and `type`
/// is the Keras class name. `TimeDistributed` means TimeDistributed(Dense(units)).
public enum LayerSpec: Equatable, Sendable {
    case dense(units: Int, activation: Activation)
    case conv2D(filters: Int, kernel: [Int], strides: [Int], padding: Padding, activation: Activation)
    case conv2DTranspose(filters: Int, kernel: [Int], strides: [Int], padding: Padding, activation: Activation)
    case maxPooling2D(pool: [Int], strides: [Int]?, padding: Padding)
    case flatten
    case reshape(targetShape: [Int])
    case lstm(units: Int, returnSequences: Bool)
    case bidirectional(units: Int, returnSequences: Bool, merge: Bidirectional.MergeMode)
    case timeDistributedDense(units: Int, activation: Activation)

    /// The Keras class name shown in summaries and used as `type` in JSON.
    public var kerasName: String {
        switch self {
        case .dense: "Dense"
        case .conv2D: "Conv2D"
        case .conv2DTranspose: "Conv2DTranspose"
        case .maxPooling2D: "MaxPooling2D"
        case .flatten: "Flatten"
        case .reshape: "Reshape"
        case .lstm: "LSTM"
        case .bidirectional: "Bidirectional"
        case .timeDistributedDense: "TimeDistributed"
        }
    }

    /// Builds the layer for a given per-sample input shape, drawing initial weights from `rng`.
    public func makeLayer(inputShape: [Int], rng: inout SeededRandom) throws -> Layer {
        switch self {
        case let .dense(units, act):
            guard inputShape.count == 1 else {
                throw ShapeError("Dense expects a flat input (features); got \(shapeText(inputShape)) — add a Flatten first")
            }
            return try Dense(inputShape: inputShape, units: units, activation: act, rng: &rng)
        case let .timeDistributedDense(units, act):
            guard inputShape.count == 2 else {
                throw ShapeError("TimeDistributed(Dense) expects (steps, features); got \(shapeText(inputShape))")
            }
            return try Dense(inputShape: inputShape, units: units, activation: act, rng: &rng)
        case let .conv2D(f, k, s, p, act):
            try requireImage(inputShape)
            return try Conv2D(inputShape: inputShape, filters: f, kernelSize: (k[0], k[1]),
                              strides: (s[0], s[1]), padding: p, activation: act, rng: &rng)
        case let .conv2DTranspose(f, k, s, p, act):
            try requireImage(inputShape)
            return try Conv2DTranspose(inputShape: inputShape, filters: f, kernelSize: (k[0], k[1]),
                                       strides: (s[0], s[1]), padding: p, activation: act, rng: &rng)
        case let .maxPooling2D(pool, strides, p):
            try requireImage(inputShape)
            return try MaxPooling2D(inputShape: inputShape, poolSize: (pool[0], pool[1]),
                                    strides: strides.map { ($0[0], $0[1]) }, padding: p)
        case .flatten:
            return try Flatten(inputShape: inputShape)
        case let .reshape(target):
            return try Reshape(inputShape: inputShape, targetShape: target)
        case let .lstm(units, seq):
            try requireSequence(inputShape)
            return try LSTM(inputShape: inputShape, units: units, returnSequences: seq, rng: &rng)
        case let .bidirectional(units, seq, merge):
            try requireSequence(inputShape)
            return try Bidirectional(inputShape: inputShape, units: units, returnSequences: seq, merge: merge, rng: &rng)
        }
    }

    private func requireImage(_ s: [Int]) throws {
        guard s.count == 3 else { throw ShapeError("\(kerasName) expects an image (height, width, channels); got \(shapeText(s))") }
    }

    private func requireSequence(_ s: [Int]) throws {
        guard s.count == 2 else { throw ShapeError("\(kerasName) expects a sequence (steps, features); got \(shapeText(s))") }
    }
}

/// Keras's way of printing a shape: (None, 14, 14, 10) with the batch axis, (784,) without.
public func shapeText(_ s: [Int], batch: Bool = false) -> String {
    let parts = (batch ? ["None"] : []) + s.map(String.init)
    return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
}
