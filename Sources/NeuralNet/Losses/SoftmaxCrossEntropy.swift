#if canImport(Glibc)
import Glibc
#endif

/// Softmax over the last axis with categorical cross-entropy, from the logits z:
///   p = softmax(z) = e^(z − max z) / Σ e^(z − max z)
///   L = −(1/N) Σ_rows Σ_k t_k · log p_k,   with log p_k = z_k − max z − log Σ e^(z − max z)
///   dL/dz = (Σ_k t_k · p − t) / N   (= (p − t)/N for a target that sums to 1, e.g. one-hot)
/// Subtracting the row's maximum keeps every exponent ≤ 0, so nothing overflows, and the
/// log is of a sum ≥ 1, so it is never the log of 0 (a confident wrong answer gives a large
/// finite loss, not infinity). N is the number of rows (samples), as Keras averages it.
public enum SoftmaxCrossEntropy {
    /// Mean loss over the rows of `logits` ([rows, classes] or any shape whose last axis is the
    /// classes) against `targets` of the same shape; writes dL/d(logits) into `grad` when given.
    public static func compute(logits: Tensor, targets: Tensor, grad: Tensor? = nil) -> Double {
        precondition(logits.count == targets.count, "softmax cross-entropy: logits \(logits.shape) vs targets \(targets.shape)")
        let classes = logits.shape.last!
        let rows = logits.count / classes
        grad?.resize(logits.shape)
        var total = 0.0
        let scale = 1 / Float(rows)
        for r in 0..<rows {
            let z = logits.ptr + r * classes, t = targets.ptr + r * classes
            var top = z[0]
            for k in 1..<classes { top = max(top, z[k]) }
            var sum: Float = 0
            for k in 0..<classes { sum += expf(z[k] - top) }
            let logSum = logf(sum)
            var rowLoss: Float = 0, targetMass: Float = 0
            for k in 0..<classes {
                rowLoss -= t[k] * (z[k] - top - logSum)
                targetMass += t[k]
            }
            total += Double(rowLoss)
            if let g = grad?.ptr.advanced(by: r * classes) {
                for k in 0..<classes { g[k] = (targetMass * expf(z[k] - top - logSum) - t[k]) * scale }
            }
        }
        return total / Double(rows)
    }

    /// Mean loss against class indices (one-hot targets without building them).
    public static func compute(logits: Tensor, labels: [Int], grad: Tensor? = nil) -> Double {
        let classes = logits.shape.last!
        let targets = Tensor(shape: logits.shape)
        for (r, l) in labels.enumerated() {
            precondition(l >= 0 && l < classes, "label \(l) outside 0..<\(classes)")
            targets[r * classes + l] = 1
        }
        return compute(logits: logits, targets: targets, grad: grad)
    }

    /// Softmax of each row of `logits`, written to `out` (may be `logits` itself).
    public static func probabilities(_ logits: UnsafePointer<Float>, rows: Int, classes: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let z = logits + r * classes, p = out + r * classes
            var top = z[0]
            for k in 1..<classes { top = max(top, z[k]) }
            var sum: Float = 0
            for k in 0..<classes { let e = expf(z[k] - top); p[k] = e; sum += e }
            for k in 0..<classes { p[k] /= sum }
        }
    }
}
