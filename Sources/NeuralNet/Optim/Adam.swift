/// Adam as Keras implements it (β1 0.9, β2 0.999, ε 1e−7):
///   α_t = lr·√(1 − β2^t) / (1 − β1^t)
///   m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2)
///   θ ← θ − α_t·m / (√v + ε)
/// Note ε is added to √v, not to the bias-corrected √v̂ — Keras's form.
public final class Adam {
    public var learningRate: Float
    public let beta1: Float = 0.9
    public let beta2: Float = 0.999
    public let epsilon: Float = 1e-7
    public private(set) var step: Int = 0
    public let parameters: [Parameter]
    /// First and second moments, one pair per parameter (saved with the model when asked).
    public let m: [Tensor]
    public let v: [Tensor]

    public init(parameters: [Parameter], learningRate: Float) {
        self.parameters = parameters
        self.learningRate = learningRate
        m = parameters.map { Tensor(shape: $0.value.shape) }
        v = parameters.map { Tensor(shape: $0.value.shape) }
    }

    /// Below this many parameters the update stays on one thread.
    static let minimumParallelCount = 1 << 16

    /// Threads the update is shared between (the trainer gives it the model's).
    public var parallelism = Parallelism.serial

    /// Memory-bound (four arrays streamed per parameter), so with enough parameters each
    /// thread updates its range of every tensor. Every element's arithmetic is unchanged.
    public func update() {
        step += 1
        let t = Float(step)
        let alpha = learningRate * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        guard parameters.reduce(0, { $0 + $1.count }) >= Adam.minimumParallelCount else {
            for k in parameters.indices { update(k, 0..<parameters[k].count, alpha: alpha) }
            return
        }
        let parts = parallelism.parts
        parallelism.forEach(parts) { part, _ in
            for k in parameters.indices { update(k, Parallelism.range(part, of: parts, parameters[k].count), alpha: alpha) }
        }
    }

    /// Eight elements at a time; the last few go through the same formulas in a zero-padded
    /// vector (zeros stay finite: ε keeps the divisor positive).
    private func update(_ k: Int, _ range: Range<Int>, alpha: Float) {
        let p = parameters[k], w = p.value.ptr, g = p.grad.ptr, mp = m[k].ptr, vp = v[k].ptr
        let vectorEnd = range.lowerBound + range.count / 8 * 8
        var i = range.lowerBound
        while i < vectorEnd {
            var wi = load8(w + i), mi = load8(mp + i), vi = load8(vp + i)
            step(&wi, load8(g + i), &mi, &vi, alpha: alpha)
            store8(wi, w + i)
            store8(mi, mp + i)
            store8(vi, vp + i)
            i += 8
        }
        let rest = range.upperBound - vectorEnd
        guard rest > 0 else { return }
        var wi = SIMD8<Float>(), gi = wi, mi = wi, vi = wi
        for l in 0..<rest { (wi[l], gi[l], mi[l], vi[l]) = (w[i + l], g[i + l], mp[i + l], vp[i + l]) }
        step(&wi, gi, &mi, &vi, alpha: alpha)
        for l in 0..<rest { (w[i + l], mp[i + l], vp[i + l]) = (wi[l], mi[l], vi[l]) }
    }

    @inline(__always)
    private func step(_ w: inout SIMD8<Float>, _ g: SIMD8<Float>, _ m: inout SIMD8<Float>, _ v: inout SIMD8<Float>,
                      alpha: Float) {
        m += (g - m) * (1 - beta1)
        v += (g * g - v) * (1 - beta2)
        w -= alpha * m / (v.squareRoot() + epsilon)
    }

    /// Restores a saved step count (the moments are restored through `m` and `v`).
    public func restore(step: Int) { self.step = step }
}

#if canImport(Glibc)
import Glibc
#endif
