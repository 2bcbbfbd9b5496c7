import Foundation
import NeuralNet

/// A trained autoencoder with what it needs to judge new samples: the preprocessing
/// that turns images into inputs, and the calibration that turns reconstruction
/// errors into outlier decisions and p-values.
public final class Detector {
    public let model: Sequential
    public let preprocessing: Preprocessing
    public let calibration: Calibration
    /// How reconstructions become scores (what the calibration was computed with).
    public let scoring: ScoringRule
    /// The Gaussian over training codes, when the scoring rule has a latent term.
    public let latent: LatentGaussian?
    /// How the rule's terms are combined, when it has more than one.
    public let mix: ScoreMix?
    public let history: TrainingHistory
    /// Free-form facts about the fit (input, samples, date), kept in the model file.
    public let provenance: [String: String]

    public init(model: Sequential, preprocessing: Preprocessing, calibration: Calibration,
                history: TrainingHistory, provenance: [String: String] = [:], scoring: ScoringRule = .pixelMSE,
                latent: LatentGaussian? = nil, mix: ScoreMix? = nil) {
        scoring.checkFitted(latent: latent, mix: mix)
        self.model = model; self.preprocessing = preprocessing; self.calibration = calibration
        self.history = history; self.provenance = provenance; self.scoring = scoring; self.latent = latent; self.mix = mix
    }

    /// Samples per forward pass when scoring (bounded memory, GEMM-friendly sizes).
    public var scoringBatch = 512

    /// Reconstruction error of each of `count` images stored back to back.
    public func errors(_ images: UnsafePointer<Float>, count: Int,
                       reconstructions: UnsafeMutablePointer<Float>? = nil) -> [Double] {
        ReconstructionError.ofImages(model, images, count: count, preprocessing: preprocessing, batchSize: scoringBatch,
                                     reconstructions: reconstructions)
    }

    public func errors(_ images: [Float], reconstructions: UnsafeMutablePointer<Float>? = nil) -> [Double] {
        images.withUnsafeBufferPointer { errors($0.baseAddress!, count: images.count / preprocessing.imageSize, reconstructions: reconstructions) }
    }

    /// Reconstructions of `images` (same layout).
    public func reconstruct(_ images: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: images.count)
        out.withUnsafeMutableBufferPointer { _ = errors(images, reconstructions: $0.baseAddress!) }
        return out
    }
}

extension Detector {
    /// The same detector, resampling images of another size to its input instead of refusing them.
    public func resizing() -> Detector {
        var p = preprocessing
        p.resize = true
        return Detector(model: model, preprocessing: p, calibration: calibration, history: history, provenance: provenance,
                        scoring: scoring, latent: latent, mix: mix)
    }
}
