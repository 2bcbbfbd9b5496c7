import NeuralNet

/// Consistency regularisation: an unlabelled image under one random shift should get the same
/// prediction as under another. The prediction on the first shift is the target (no gradient
/// through it) of a cross-entropy on the second, weighted by `weight` and added to the labelled
/// loss:  L = (1/B) [Σ_labelled CE(onehot, z) + weight · Σ_unlabelled CE(p_A, z_B)],
/// B the number of labelled rows, so the labelled term weighs what it did without it.
public enum Consistency {
    /// Targets for `SoftmaxCrossEntropy.compute(logits:targets:grad:)` over a batch of `labels.count`
    /// labelled rows followed by `targetProbabilities.count / classes` unlabelled rows, such that its
    /// gradient is dL/dz of the loss above. (That function divides by all the rows and scales the
    /// gradient with the targets' mass, so every target is multiplied by rows / B.)
    public static func targets(labels: [Int], targetProbabilities: [Float], classes: Int, weight: Float, into t: Tensor) {
        let unlabelled = targetProbabilities.count / classes
        let rows = labels.count + unlabelled
        t.resize([rows, classes])
        t.ptr.update(repeating: 0, count: rows * classes)
        let scale = Float(rows) / Float(max(1, labels.count))
        for (r, l) in labels.enumerated() { t[r * classes + l] = scale }
        let base = labels.count * classes
        for i in 0..<targetProbabilities.count { t[base + i] = scale * weight * targetProbabilities[i] }
    }
}
