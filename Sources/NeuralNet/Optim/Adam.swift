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

    public func update() {
        step += 1
        let t = Float(step)
        let alpha = learningRate * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        let b1 = beta1, b2 = beta2, eps = epsilon
        for (k, p) in parameters.enumerated() {
            let w = p.value.ptr, g = p.grad.ptr, mp = m[k].ptr, vp = v[k].ptr
            for i in 0..<p.count {
                let gi = g[i]
                mp[i] += (gi - mp[i]) * (1 - b1)
                vp[i] += (gi * gi - vp[i]) * (1 - b2)
                w[i] -= alpha * mp[i] / (vp[i].squareRoot() + eps)
            }
        }
    }

    /// Restores a saved step count (the moments are restored through `m` and `v`).
    public func restore(step: Int) { self.step = step }
}

#if canImport(Glibc)
import Glibc
#endif
