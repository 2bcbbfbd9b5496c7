#if canImport(Glibc)
import Glibc
#endif

/// The training losses. Both are means over every element of the batch, as Keras
/// reports them (mean over the last axis, then over the batch, which is the same
/// for equal-sized samples).
public enum Loss: String, Codable, Sendable {
    case meanSquaredError = "mse"
    case binaryCrossentropy = "binary_crossentropy"
    /// Softmax over the last axis and cross-entropy against a probability target (one-hot for
    /// labels), computed from the logits (`SoftmaxCrossEntropy`); the mean is over samples.
    case categoricalCrossentropy = "categorical_crossentropy"

    /// Loss of `output` against `target`; writes dL/d(output) into `grad` when given.
    ///
    /// With `fromLogits` (binary cross-entropy after a sigmoid folded into the loss),
    /// `output` holds the pre-sigmoid values z and the loss is computed as
    /// max(z, 0) − z·t + log(1 + e^−|z|), which never takes the log of 0; its gradient
    /// is simply (σ(z) − t)/N. Keras does the same when the last activation is a sigmoid.
    /// `scratch` (optional) is reused for the per-element terms, so a training step allocates nothing.
    public func compute(output: Tensor, target: Tensor, fromLogits: Bool = false, grad: Tensor? = nil,
                        scratch: Tensor? = nil, parallelism: Parallelism = .serial) -> Double {
        precondition(output.count == target.count, "loss: output \(output.shape) vs target \(target.shape)")
        if self == .categoricalCrossentropy {
            return SoftmaxCrossEntropy.compute(logits: output, targets: target, grad: grad)
        }
        let n = output.count
        grad?.resize(output.shape)
        let y = output.ptr, t = target.ptr
        let g = grad?.ptr
        let scale = 1 / Float(n)
        var total = 0.0
        switch (self, fromLogits) {
        case (.meanSquaredError, _):
            total = Loss.sumOfSquaredErrors(y, t, n, gradient: g, scale: scale)
        case (.binaryCrossentropy, true):
            // The per-element terms (exp and log: most of the time) on the threads given, then
            // summed in order, so the total is the same as a serial loop's.
            let buffer = scratch ?? Tensor()
            buffer.resize([n])
            let terms = buffer.ptr
            parallelism.split(n, work: n, minimum: Parallelism.minimumFloats) { range, _ in
                var i = range.lowerBound
                while i + 8 <= range.upperBound {
                    Loss.logitsTerms(y + i, t + i, terms: terms + i, gradient: g.map { $0 + i }, scale: scale)
                    i += 8
                }
                for i in i..<range.upperBound {
                    // One exponential for both: Activation.sigmoid(z) is 1/(1 + e) or e/(1 + e) of this e.
                    let z = y[i], e = expf(-abs(z))
                    terms[i] = max(z, 0) - z * t[i] + log1pf(e)
                    g?[i] = ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - t[i]) * scale
                }
            }
            for i in 0..<n { total += Double(terms[i]) }
        case (.categoricalCrossentropy, _):
            preconditionFailure("handled above")
        case (.binaryCrossentropy, false):
            // Keras clips probabilities to [ε, 1−ε] with ε = 1e−7.
            let eps: Float = 1e-7
            for i in 0..<n {
                let p = min(max(y[i], eps), 1 - eps)
                total -= Double(t[i] * logf(p) + (1 - t[i]) * logf(1 - p))
                g?[i] = (y[i] > eps && y[i] < 1 - eps) ? (p - t[i]) / (p * (1 - p)) * scale : 0
            }
        }
        return total / Double(n)
    }

    /// Eight of the logits form's terms and gradients, as the scalar loop computes them but
    /// with VectorMath's exp and log1p (libm's expf and log1pf per element were most of the loss).
    @inline(__always)
    static func logitsTerms(_ y: UnsafePointer<Float>, _ t: UnsafePointer<Float>, terms: UnsafeMutablePointer<Float>,
                            gradient g: UnsafeMutablePointer<Float>?, scale: Float) {
        let z = load8(y), target = load8(t)
        let e = VectorMath.exp(VectorMath.float(VectorMath.bits(z) | Int32.min))
        store8(z.replacing(with: 0, where: z .< 0) - z * target + VectorMath.log1p(e), terms)
        guard let g else { return }
        let sigmoid = (e / (1 + e)).replacing(with: 1 / (1 + e), where: z .>= 0)
        store8((sigmoid - target) * scale, g)
    }

    /// Σ (y − t)² in Double, with g = 2(y − t)·scale when asked. The squares are summed in
    /// eight interleaved partial sums (element i into sum i mod 8), then those in order: the
    /// loop vectorises, and in Double the order changes the total only in its last bits.
    static func sumOfSquaredErrors(_ y: UnsafePointer<Float>, _ t: UnsafePointer<Float>, _ n: Int,
                                   gradient g: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        var sums = SIMD8<Double>()
        let whole = n - n % 8
        var i = 0
        while i < whole {
            var squares = SIMD8<Double>()
            for l in 0..<8 {
                let d = y[i + l] - t[i + l]
                squares[l] = Double(d * d)
                g?[i + l] = 2 * d * scale
            }
            sums += squares
            i += 8
        }
        for l in 0..<(n - whole) {
            let d = y[whole + l] - t[whole + l]
            sums[l] += Double(d * d)
            g?[whole + l] = 2 * d * scale
        }
        var total = 0.0
        for l in 0..<8 { total += sums[l] }
        return total
    }
}
