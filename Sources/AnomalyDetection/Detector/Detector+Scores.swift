import NeuralNet

/// Scoring with the detector's rule: the raw reconstruction error and the rule's score,
/// which are the same number for pixel MSE.
extension Detector {
    /// Error and score of each of `count` images stored back to back.
    public func assess(_ images: UnsafePointer<Float>, count: Int) -> (errors: [Double], scores: [Double]) {
        scoring.assess(model, images, count: count, preprocessing: preprocessing, latent: latent, mix: mix, batchSize: scoringBatch)
    }

    /// Scores of images laid out back to back (see `assess`).
    public func scores(_ images: [Float]) -> [Double] {
        images.withUnsafeBufferPointer { assess($0.baseAddress!, count: images.count / preprocessing.imageSize).scores }
    }
}

extension ScoringRule {
    /// A rule with a latent term needs its Gaussian, a rule with more than one term its mix.
    func checkFitted(latent: LatentGaussian?, mix: ScoreMix?) {
        precondition((latentWeight > 0) == (latent != nil), "a latent scoring term needs its fitted Gaussian")
        precondition(isMixed == (mix != nil) && (mix?.fits(self) ?? true), "a rule with several terms needs their fitted moments")
    }

    /// Reconstruction errors and this rule's scores of `count` images through `model`, in
    /// batches of `batchSize` so memory stays bounded. A rule with a latent term needs the
    /// `LatentGaussian` fitted with the model, a rule with several terms their `ScoreMix`.
    public func assess(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, preprocessing: Preprocessing,
                       latent: LatentGaussian? = nil, mix: ScoreMix? = nil, batchSize: Int = 512) -> (errors: [Double], scores: [Double]) {
        checkFitted(latent: latent, mix: mix)
        if self == .pixelMSE {
            let e = ReconstructionError.ofImages(model, images, count: count, preprocessing: preprocessing, batchSize: batchSize)
            return (e, e)
        }
        let t = terms(model, images, count: count, codeLayer: latent?.layer, preprocessing: preprocessing, batchSize: batchSize)
        guard let mix else { return (t.errors, t.reconstruction) }
        let distances = latent?.squaredDistances(t.codes, count: count) ?? []
        let scores = (0..<count).map { i in
            mix.score(reconstruction: t.reconstruction[i], structure: t.structure.isEmpty ? 0 : t.structure[i],
                      distance: distances.isEmpty ? 0 : distances[i], rule: self)
        }
        return (t.errors, scores)
    }

    /// Each term's raw values for `count` images: the pixel MSE, the reconstruction term, the
    /// structure term (empty without one) and each sample's output of `codeLayer` back to back
    /// (empty without one).
    struct Terms {
        var errors: [Double] = [], reconstruction: [Double] = [], structure: [Double] = [], codes: [Float] = []
    }

    func terms(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, codeLayer layer: Int?,
               preprocessing: Preprocessing, batchSize: Int = 512) -> Terms {
        let item = preprocessing.imageSize
        let (h, w, c) = (preprocessing.height, preprocessing.width, preprocessing.channels)
        let codeSize = layer.map { Tensor.elementCount(model.layers[$0].outputShape) } ?? 0
        var t = Terms(codes: [Float](repeating: 0, count: count * codeSize))
        let recon = UnsafeMutablePointer<Float>.allocate(capacity: max(1, min(count, batchSize) * item))
        defer { recon.deallocate() }
        var start = 0
        while start < count {
            let m = min(batchSize, count - start)
            let batch = images + start * item
            t.codes.withUnsafeMutableBufferPointer { codes in
                let capture = layer.map { (layer: $0, size: codeSize, into: codes.baseAddress! + start * codeSize) }
                t.errors += ReconstructionError.ofImages(model, batch, count: m, preprocessing: preprocessing, batchSize: batchSize,
                                                         reconstructions: recon, codes: capture)
            }
            t.reconstruction += scores(inputs: batch, reconstructions: recon, count: m, height: h, width: w, channels: c,
                                       parallelism: model.parallelism)
            t.structure += structureScores(inputs: batch, reconstructions: recon, count: m, height: h, width: w, channels: c,
                                           parallelism: model.parallelism)
            start += m
        }
        return t
    }
}
