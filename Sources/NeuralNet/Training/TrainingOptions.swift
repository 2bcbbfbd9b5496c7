/// How to train. Defaults come from the architecture (batch size, learning rate, noise).
public struct TrainingOptions: Codable, Equatable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var seed: UInt64
    /// σ for denoising training: inputs clip(x + σ·N(0,1), 0, 1), targets clean. Fresh noise every batch.
    public var noise: Float?
    /// Stop when the validation loss has not improved for this many epochs.
    public var patience: Int?
    /// With early stopping: put back the weights of the best validation epoch.
    public var restoreBestWeights: Bool
    public var shuffle: Bool

    public init(epochs: Int, batchSize: Int, learningRate: Float, seed: UInt64 = 0, noise: Float? = nil,
                patience: Int? = nil, restoreBestWeights: Bool = true, shuffle: Bool = true) {
        self.epochs = epochs; self.batchSize = batchSize; self.learningRate = learningRate; self.seed = seed
        self.noise = noise; self.patience = patience; self.restoreBestWeights = restoreBestWeights; self.shuffle = shuffle
    }

    public init(for architecture: Architecture, epochs: Int, seed: UInt64 = 0) {
        self.init(epochs: epochs, batchSize: architecture.batchSize, learningRate: architecture.learningRate,
                  seed: seed, noise: architecture.trainingNoise)
    }
}

/// Loss per epoch, as recorded in the model file.
public struct TrainingHistory: Codable, Equatable, Sendable {
    public var loss: [Double] = []
    public var validationLoss: [Double] = []
    public var epochSeconds: [Double] = []
    /// Epoch (0-based) whose weights the model holds (the last, or the best with early stopping).
    public var keptEpoch: Int?
    public var stoppedEarly = false
    public init() {}

    enum CodingKeys: String, CodingKey {
        case loss, validationLoss = "val_loss", epochSeconds = "epoch_seconds", keptEpoch = "kept_epoch", stoppedEarly = "stopped_early"
    }
}

/// What the training loop reports as it goes (the CLI draws a progress bar from it).
public enum TrainingEvent: Sendable {
    case step(epoch: Int, epochs: Int, step: Int, steps: Int, loss: Double)
    case epochEnd(epoch: Int, epochs: Int, loss: Double, validationLoss: Double?, seconds: Double)
}

public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case nonFinite(epoch: Int, step: Int, loss: Double)
    case noData
    case shapeMismatch(expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case let .nonFinite(e, s, l):
            return "training diverged: loss became \(l) at epoch \(e + 1), step \(s + 1); no model was written (try a lower --lr)"
        case .noData: return "no training samples"
        case let .shapeMismatch(e, g): return "samples have shape \(g) but the model expects \(e)"
        }
    }
}
