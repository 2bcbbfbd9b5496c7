/// The chapter's four autoencoders, layer for layer as the Keras originals, and `detector`,
/// the one built for finding outliers (see reports/quality.md).
public enum Presets {
    public static let names = ["detector", "dense", "conv", "lstm", "denoise"]
    /// What `fit` uses when no architecture is given.
    public static let defaultName = "detector"

    public static func named(_ name: String) throws -> Architecture {
        switch name {
        case "detector": detector
        case "dense": dense
        case "conv": conv
        case "lstm": lstm
        case "denoise": denoise
        default: throw ArchitectureError.unknownPreset(name)
        }
    }

    /// 784 → 256 → 100 → 256 → 784; the 100-unit layer is the code. 454,004 params.
    public static let dense = Architecture(
        name: "dense", inputShape: [784],
        layers: [.dense(units: 256, activation: .relu), .dense(units: 100, activation: .relu),
                 .dense(units: 256, activation: .relu), .dense(units: 784, activation: .linear)],
        loss: .meanSquaredError, learningRate: 0.01, batchSize: 100, encoderLayer: 1)

    /// Strided conv → pool → 196-unit linear code reshaped to 14×14 → transposed conv up. 196,787 params.
    public static let conv = Architecture(
        name: "conv", inputShape: [28, 28, 1],
        layers: [.conv2D(filters: 10, kernel: [5, 5], strides: [2, 2], padding: .same, activation: .relu),
                 .maxPooling2D(pool: [5, 5], strides: [1, 1], padding: .valid),
                 .flatten,
                 .dense(units: 196, activation: .linear),
                 .reshape(targetShape: [14, 14, 1]),
                 .conv2DTranspose(filters: 10, kernel: [4, 4], strides: [2, 2], padding: .same, activation: .relu),
                 .conv2D(filters: 1, kernel: [4, 4], strides: [1, 1], padding: .same, activation: .linear)],
        loss: .meanSquaredError, learningRate: 0.005, batchSize: 300, encoderLayer: 4)

    /// Rows of the image as 28 steps of 28 features; two summed bidirectional LSTMs. 3,708 params.
    public static let lstm = Architecture(
        name: "lstm", inputShape: [28, 28],
        layers: [.bidirectional(units: 8, returnSequences: true, merge: .sum),
                 .bidirectional(units: 8, returnSequences: true, merge: .sum),
                 .timeDistributedDense(units: 28, activation: .linear)],
        loss: .meanSquaredError, learningRate: 0.001, batchSize: 300, encoderLayer: 0)

    /// A small full-resolution conv net trained on noisy inputs against clean targets. 1,101 params.
    public static let denoise = Architecture(
        name: "denoise", inputShape: [28, 28, 1],
        layers: [.conv2D(filters: 10, kernel: [3, 3], strides: [1, 1], padding: .same, activation: .relu),
                 .maxPooling2D(pool: [2, 2], strides: [1, 1], padding: .same),
                 .conv2DTranspose(filters: 10, kernel: [3, 3], strides: [1, 1], padding: .same, activation: .relu),
                 .conv2D(filters: 1, kernel: [3, 3], strides: [1, 1], padding: .same, activation: .sigmoid)],
        loss: .binaryCrossentropy, learningRate: 0.005, batchSize: 300, encoderLayer: nil, trainingNoise: 0.3)
}
