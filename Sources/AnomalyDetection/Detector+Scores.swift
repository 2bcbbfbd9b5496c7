import NeuralNet

/// Scoring with the detector's rule: the raw reconstruction error and the rule's score,
/// which are the same number for pixel MSE.
extension Detector {
    /// Error and score of each of `count` images stored back to back.
    public func assess(_ images: UnsafePointer<Float>, count: Int) -> (errors: [Double], scores: [Double]) {
        scoring.assess(model, images, count: count, preprocessing: preprocessing, latent: latent, batchSize: scoringBatch)
    }

    /// Scores of images laid out back to back (see `assess`).
    public func scores(_ images: [Float]) -> [Double] {
        images.withUnsafeBufferPointer { assess($0.baseAddress!, count: images.count / preprocessing.imageSize).scores }
    }
}

extension ScoringRule {
    /// Reconstruction errors and this rule's scores of `count` images through `model`, in
    /// batches of `batchSize` so memory stays bounded. A rule with a latent term needs the
    /// `LatentGaussian` fitted with the model.
    public func assess(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, preprocessing: Preprocessing,
                       latent: LatentGaussian? = nil, batchSize: Int = 500) -> (errors: [Double], scores: [Double]) {
        precondition((latentWeight > 0) == (latent != nil), "a latent scoring term needs its fitted Gaussian")
        if self == .pixelMSE {
            let e = ReconstructionError.perSample(model, images, count: count, batchSize: batchSize)
            return (e, e)
        }
        let r = assessWithCodes(model, images, count: count, layer: latent?.layer, preprocessing: preprocessing, batchSize: batchSize)
        guard let latent else { return (r.errors, r.scores) }
        let scores = r.codes.withUnsafeBufferPointer { c in
            (0..<count).map { latent.score(reconstruction: r.scores[$0], code: c.baseAddress! + $0 * latent.dimension) }
        }
        return (r.errors, scores)
    }

    /// As `assess`, also keeping each sample's output of `layer` (the code), back to back.
    func assessWithCodes(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, layer: Int?,
                         preprocessing: Preprocessing, batchSize: Int = 500) -> (errors: [Double], scores: [Double], codes: [Float]) {
        let item = preprocessing.imageSize
        let codeSize = layer.map { Tensor.elementCount(model.layers[$0].outputShape) } ?? 0
        var codes = [Float](repeating: 0, count: count * codeSize)
        let recon = UnsafeMutablePointer<Float>.allocate(capacity: max(1, min(count, batchSize) * item))
        defer { recon.deallocate() }
        var errors: [Double] = [], scores: [Double] = []
        var start = 0
        while start < count {
            let m = min(batchSize, count - start)
            let batch = images + start * item
            codes.withUnsafeMutableBufferPointer { c in
                let capture = layer.map { (layer: $0, size: codeSize, into: c.baseAddress! + start * codeSize) }
                errors += ReconstructionError.perSample(model, batch, count: m, batchSize: batchSize,
                                                        reconstructions: recon, codes: capture)
            }
            scores += self.scores(inputs: batch, reconstructions: recon, count: m, height: preprocessing.height,
                                  width: preprocessing.width, channels: preprocessing.channels)
            start += m
        }
        return (errors, scores, codes)
    }
}
