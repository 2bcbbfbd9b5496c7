import NeuralNet

/// The network of a classifier built on an autoencoder: the autoencoder's layers up to and
/// including its encoder layer (the code), a Flatten when the code is not flat, and a Dense
/// softmax head with one unit per class (its output is the logits; the softmax is folded into
/// the categorical cross-entropy, as the sigmoid is into the binary one).
public enum ClassifierArchitecture {
    public static func make(from autoencoder: Architecture, classes: Int) throws -> Architecture {
        guard let e = autoencoder.encoderLayer else {
            throw ClassifierError.input("the \(autoencoder.name) architecture names no encoder layer, so it has no encoder to start a classifier from")
        }
        guard classes >= 2 else { throw ClassifierError.input("a classifier needs at least 2 classes, got \(classes)") }
        var layers = Array(autoencoder.layers[...e])
        var rng = SeededRandom(seed: 0)
        let built = try Architecture(name: autoencoder.name, inputShape: autoencoder.inputShape, layers: layers,
                                     loss: .meanSquaredError, learningRate: autoencoder.learningRate,
                                     batchSize: autoencoder.batchSize).buildLayers(rng: &rng)
        if built.last!.outputShape.count > 1 { layers.append(.flatten) }
        layers.append(.dense(units: classes, activation: .linear))
        return Architecture(name: autoencoder.name + "-classifier", inputShape: autoencoder.inputShape, layers: layers,
                            loss: .categoricalCrossentropy, learningRate: autoencoder.learningRate,
                            batchSize: autoencoder.batchSize, encoderLayer: e)
    }

    /// How many leading layers of a classifier are the encoder (the rest, Flatten and the head, are new).
    public static func encoderLayerCount(_ classifier: Architecture) -> Int { (classifier.encoderLayer ?? -1) + 1 }

    /// Copies the encoder's weights (layers 0...encoderLayer) of `autoencoder` into `classifier`.
    public static func copyEncoder(from autoencoder: Sequential, to classifier: Sequential) throws {
        let n = encoderLayerCount(classifier.architecture)
        guard autoencoder.layers.count >= n else { throw ClassifierError.input("the autoencoder has fewer layers than the classifier's encoder") }
        for i in 0..<n {
            let from = autoencoder.layers[i].parameters, to = classifier.layers[i].parameters
            guard from.count == to.count, zip(from, to).allSatisfy({ $0.value.shape == $1.value.shape }) else {
                throw ClassifierError.input("layer \(i) of the autoencoder does not match the classifier's")
            }
            for (p, q) in zip(from, to) { q.value.copy(from: p.value) }
        }
    }
}

extension ClassifierArchitecture {
    /// How many of the code's units are zero for every one of `images` (laid out as the model's
    /// input), out of how many: a ReLU code fitted with too high a learning rate has most of its
    /// units dead, and then carries little for a classifier to start from.
    public static func deadCodeUnits(_ autoencoder: Sequential, images: [Float], count: Int) throws -> (dead: Int, units: Int) {
        let n = min(count, 2000), size = Tensor.elementCount(autoencoder.inputShape)
        let x = Tensor(shape: [n] + autoencoder.inputShape, values: Array(images[0..<(n * size)]))
        let z = try autoencoder.encode(x)
        let units = z.itemCount
        var alive = [Bool](repeating: false, count: units)
        for i in 0..<n { for u in 0..<units where z[i * units + u] != 0 { alive[u] = true } }
        return (alive.filter { !$0 }.count, units)
    }
}

public enum ClassifierError: Error, CustomStringConvertible {
    case input(String)
    case modelFile(String)
    public var description: String {
        switch self {
        case let .input(m), let .modelFile(m): m
        }
    }
}
