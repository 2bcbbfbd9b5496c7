import Foundation
import NeuralNet

/// Fitting a detector: hold out a calibration slice of the normal data (never trained
/// on), train the autoencoder on the rest, then set the threshold from the held-out
/// reconstruction errors.
public struct DetectorFit {
    public var architecture: Architecture
    public var training: TrainingOptions
    /// Share of the normal samples held out for calibration (default 0.1).
    public var calibrationFraction: Double = 0.1
    public var threshold: ThresholdMethod = .quantile(0.99)
    /// The anomaly score the threshold is calibrated on (kept in the detector).
    public var scoring: ScoringRule = .pixelMSE
    /// The rule is the architecture's default, not the user's choice: when the training part is
    /// too small for its latent term, the fit scores without that term instead of failing.
    public var scoringIsDefault = false
    public var preprocessing: Preprocessing
    public var provenance: [String: String] = [:]
    /// Called with the trainer before training starts: to restore a checkpoint or set a checkpoint writer.
    public var prepareTrainer: ((Trainer) throws -> Void)?
    /// Threads the model trains and scores on.
    public var parallelism = Parallelism.machine

    public init(architecture: Architecture, training: TrainingOptions, preprocessing: Preprocessing) {
        self.architecture = architecture; self.training = training; self.preprocessing = preprocessing
    }

    /// Which samples calibrate and which train: a seeded permutation, so the split is
    /// repeatable and does not depend on the order of the input.
    public func split(count n: Int) throws -> (train: [Int], calibration: [Int]) {
        try Self.split(count: n, fraction: calibrationFraction, seed: training.seed)
    }

    public static func split(count n: Int, fraction: Double, seed: UInt64) throws -> (train: [Int], calibration: [Int]) {
        guard fraction > 0, fraction < 1 else {
            throw DetectorError.input("--calibration-fraction must be between 0 and 1 (got \(fraction))")
        }
        let held = Int((Double(n) * fraction).rounded(.up))
        guard held >= 2, n - held >= 2 else {
            throw DetectorError.tooFewSamples("\(n) normal samples are too few to hold out \(Int(fraction * 100))% for calibration and train on the rest")
        }
        var rng = SeededRandom(seed: seed &+ 0xCA11B)
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        return (Array(order[held...]).sorted(), Array(order[..<held]).sorted())
    }

    /// Trains and calibrates. `images` holds `count` images of `preprocessing.imageSize` floats.
    /// The validation loss reported per epoch is measured on the calibration slice; no
    /// decision is taken from it unless early stopping is on, and then a separate slice of
    /// the training part is used so the calibration scores stay untouched.
    public func run(images: [Float], count: Int, progress: ((TrainingEvent) -> Void)? = nil) throws -> (Detector, Trainer) {
        let item = preprocessing.imageSize
        guard images.count == count * item else {
            throw DetectorError.input("\(count) images of \(item) values expected, got \(images.count) values")
        }
        let (trainIdx, calIdx) = try split(count: count)
        var fitIdx = trainIdx, valIdx = calIdx
        if training.patience != nil {
            let cut = max(1, trainIdx.count / 10)
            valIdx = Array(trainIdx.suffix(cut))
            fitIdx = Array(trainIdx.dropLast(cut))
        }
        let model = try Sequential(architecture: architecture, seed: training.seed, parallelism: parallelism)
        let scoring = try effectiveScoring(model, trainingSamples: fitIdx.count)
        let trainer = Trainer(model: model, options: training)
        try prepareTrainer?(trainer)
        let fitImages = gather(images, fitIdx)
        try trainer.fit(fitImages, validation: gather(images, valIdx), progress: progress)

        let (latent, mix) = try HeldOutCalibration.fitTerms(model, fitImages: fitImages, scoring: scoring, preprocessing: preprocessing)
        let calibration = try HeldOutCalibration.calibrate(model, images: gather(images, calIdx), count: calIdx.count, scoring: scoring,
                                                           latent: latent, mix: mix, preprocessing: preprocessing, threshold: threshold)
        var facts = provenance
        facts["training_samples"] = String(fitIdx.count)
        facts["calibration_samples"] = String(calIdx.count)
        facts["seed"] = String(training.seed)
        let detector = Detector(model: model, preprocessing: preprocessing, calibration: calibration,
                                history: trainer.history, provenance: facts, scoring: scoring, latent: latent, mix: mix)
        return (detector, trainer)
    }

    /// A latent term needs a code layer and more training samples than the code has numbers;
    /// both are known before training, so a fit that could not finish does not start.
    private func checkLatentTerm(_ model: Sequential, trainingSamples n: Int) throws {
        guard scoring.latentWeight > 0 else { return }
        guard let e = architecture.encoderLayer else {
            throw DetectorError.input("scoring rule \(scoring) needs a code, and the \(architecture.name) architecture names no encoder layer")
        }
        let d = Tensor.elementCount(model.layers[e].outputShape)
        guard n > d else {
            throw DetectorError.tooFewSamples("\(n) training samples are too few for a \(d)-dimensional latent Gaussian (scoring rule \(scoring))")
        }
    }

    private func effectiveScoring(_ model: Sequential, trainingSamples n: Int) throws -> ScoringRule {
        do {
            try checkLatentTerm(model, trainingSamples: n)
            return scoring
        } catch DetectorError.tooFewSamples where scoringIsDefault {
            return scoring.withoutLatent
        }
    }

    private func gather(_ images: [Float], _ indices: [Int]) -> Tensor {
        let item = preprocessing.imageSize
        let t = Tensor(shape: [indices.count] + architecture.inputShape)
        images.withUnsafeBufferPointer { src in
            for (row, i) in indices.enumerated() { (t.ptr + row * item).update(from: src.baseAddress! + i * item, count: item) }
        }
        return t
    }
}
