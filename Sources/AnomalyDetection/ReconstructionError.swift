import NeuralNet

/// The anomaly score's raw material: how far a model's reconstruction of each sample
/// is from the sample, as the mean squared difference over its values.
public enum ReconstructionError {
    /// Errors of `count` samples stored back to back; optionally keeps the reconstructions.
    /// Runs in batches of `batchSize` so memory stays bounded whatever `count` is. With
    /// `codes`, each sample's output of layer `codes.layer` is kept too (`size` values each).
    public static func perSample(_ model: Sequential, _ samples: UnsafePointer<Float>, count: Int,
                                 batchSize: Int = 500, reconstructions: UnsafeMutablePointer<Float>? = nil,
                                 codes: (layer: Int, size: Int, into: UnsafeMutablePointer<Float>)? = nil) -> [Double] {
        let item = Tensor.elementCount(model.inputShape)
        var out = [Double](repeating: 0, count: count)
        let batch = Tensor()
        var start = 0
        while start < count {
            let m = min(batchSize, count - start)
            batch.resize([m] + model.inputShape)
            batch.ptr.update(from: samples + start * item, count: m * item)
            let y = model.predict(batch, capture: codes.map { ($0.layer, $0.into + start * $0.size) })
            for s in 0..<m {
                let a = batch.ptr + s * item, b = y.ptr + s * item
                var sum: Float = 0
                for i in 0..<item { let d = a[i] - b[i]; sum += d * d }
                out[start + s] = Double(sum) / Double(item)
            }
            reconstructions.map { ($0 + start * item).update(from: y.ptr, count: m * item) }
            start += m
        }
        return out
    }
}
