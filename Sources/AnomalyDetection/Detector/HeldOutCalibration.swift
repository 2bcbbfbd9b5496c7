import NeuralNet

/// Scoring held-out normal samples and setting the threshold from their scores: what `fit` does
/// with its calibration slice, and `import` with the normal samples it is given.
public enum HeldOutCalibration {
    /// What a rule with several terms needs, from training samples (never the calibration slice):
    /// the Gaussian over their codes when the rule has a latent term, and each term's moments.
    public static func fitTerms(_ model: Sequential, fitImages: Tensor, scoring: ScoringRule,
                                preprocessing: Preprocessing) throws -> (LatentGaussian?, ScoreMix?) {
        guard scoring.isMixed else { return (nil, nil) }
        let n = fitImages.shape[0]
        let layer = scoring.latentWeight > 0 ? model.architecture.encoderLayer : nil
        let t = scoring.terms(model, fitImages.ptr, count: n, codeLayer: layer, preprocessing: preprocessing)
        let latent = try layer.map { try LatentGaussian.fit(codes: t.codes, count: n, dimension: t.codes.count / n, layer: $0) }
        let distances = latent?.squaredDistances(t.codes, count: n) ?? []
        return (latent, ScoreMix(reconstruction: t.reconstruction, structure: t.structure, distances: distances))
    }

    /// The threshold (and the held-out scores p-values are computed against) from `images`, `count` held-out normal samples.
    public static func calibrate(_ model: Sequential, images: Tensor, count: Int, scoring: ScoringRule, latent: LatentGaussian?,
                                 mix: ScoreMix?, preprocessing: Preprocessing, threshold: ThresholdMethod) throws -> Calibration {
        let scores = scoring.assess(model, images.ptr, count: count, preprocessing: preprocessing, latent: latent, mix: mix).scores
        return try Calibration.fit(scores: scores, method: threshold)
    }
}
