import NeuralNet

/// Scoring with the detector's rule: the raw reconstruction error and the rule's score,
/// which are the same number for pixel MSE.
extension Detector {
    /// Error and score of each of `count` images stored back to back.
    public func assess(_ images: UnsafePointer<Float>, count: Int) -> (errors: [Double], scores: [Double]) {
        scoring.assess(model, images, count: count, preprocessing: preprocessing, batchSize: scoringBatch)
    }

    /// Scores of images laid out back to back (see `assess`).
    public func scores(_ images: [Float]) -> [Double] {
        images.withUnsafeBufferPointer { assess($0.baseAddress!, count: images.count / preprocessing.imageSize).scores }
    }
}

extension ScoringRule {
    /// Reconstruction errors and this rule's scores of `count` images through `model`, in
    /// batches of `batchSize` so memory stays bounded.
    public func assess(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, preprocessing: Preprocessing,
                       batchSize: Int = 500) -> (errors: [Double], scores: [Double]) {
        if self == .pixelMSE {
            let e = ReconstructionError.perSample(model, images, count: count, batchSize: batchSize)
            return (e, e)
        }
        let item = preprocessing.imageSize
        let recon = UnsafeMutablePointer<Float>.allocate(capacity: max(1, min(count, batchSize) * item))
        defer { recon.deallocate() }
        var errors: [Double] = [], scores: [Double] = []
        var start = 0
        while start < count {
            let m = min(batchSize, count - start)
            let batch = images + start * item
            errors += ReconstructionError.perSample(model, batch, count: m, batchSize: batchSize, reconstructions: recon)
            scores += self.scores(inputs: batch, reconstructions: recon, count: m, height: preprocessing.height,
                                  width: preprocessing.width, channels: preprocessing.channels)
            start += m
        }
        return (errors, scores)
    }
}
