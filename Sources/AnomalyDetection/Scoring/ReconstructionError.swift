import NeuralNet

/// The anomaly score's raw material: how far a model's reconstruction of each sample
/// is from the sample, as the mean squared difference over its values.
public enum ReconstructionError {
    /// Errors of `count` samples stored back to back, in batches of at most `batchSize`;
    /// optionally keeps the reconstructions. Inference computes every sample on its own
    /// (stableGEMM, per-image kernels), so its score is the same to the last bit whichever
    /// batch or shard it lands in. With `codes`, each sample's output of layer `codes.layer`
    /// is kept too (`size` values each).
    public static func perSample(_ model: Sequential, _ samples: UnsafePointer<Float>, count: Int,
                                 batchSize: Int = 512, reconstructions: UnsafeMutablePointer<Float>? = nil,
                                 codes: (layer: Int, size: Int, into: UnsafeMutablePointer<Float>)? = nil) -> [Double] {
        let item = Tensor.elementCount(model.inputShape)
        var out = [Double](repeating: 0, count: count)
        let rows = min(batchSize, max(1, count))
        let batch = Tensor(shape: [rows] + model.inputShape)
        let captured = codes.map { UnsafeMutablePointer<Float>.allocate(capacity: rows * $0.size) }
        defer { captured?.deallocate() }
        var start = 0
        while start < count {
            let m = min(rows, count - start)
            batch.resize([m] + model.inputShape)
            batch.ptr.update(from: samples + start * item, count: m * item)
            let y = model.predict(batch, capture: codes.map { ($0.layer, captured!) })
            if let codes { (codes.into + start * codes.size).update(from: captured!, count: m * codes.size) }
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
