extension Presets {
    /// The default detector: a dense autoencoder with a narrow 16-unit code, trained with MSE.
    /// Its settings (depth, code size, loss, learning rate, epochs) and its scoring rule (the
    /// smoothed residual normalised by ink and detail, the structural dissimilarity and the code's
    /// Mahalanobis distance, `ScoringRule.detectorDefault`) were chosen together on training data
    /// only (reports/quality.md says how). 940,064 params.
    public static let detector = Architecture(
        name: "detector", inputShape: [784],
        layers: [.dense(units: 512, activation: .relu), .dense(units: 128, activation: .relu),
                 .dense(units: 16, activation: .linear),
                 .dense(units: 128, activation: .relu), .dense(units: 512, activation: .relu),
                 .dense(units: 784, activation: .linear)],
        loss: .meanSquaredError, learningRate: 0.003, batchSize: 128, encoderLayer: 2)
}

extension Presets {
    /// Epochs `fit` trains for when none are given, for every architecture; for the detector
    /// they were chosen with its scoring rule (reports/quality.md).
    public static let defaultEpochs = 20
}
