#if canImport(Glibc)
import Glibc
#endif

/// Elementwise activations. Every derivative here is a function of the activation's
/// *output*, so layers keep only their output for the backward pass.
public enum Activation: String, Codable, CaseIterable, Sendable {
    case linear, relu, sigmoid, tanh

    /// In place over `n` values.
    public func apply(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .linear: break
        // A select, not `where p[i] < 0 { p[i] = 0 }`: that conditional store stayed a branch
        // per value, mispredicted on about half of them (the first Conv2D's forward doubled).
        case .relu: for i in 0..<n { p[i] = p[i] < 0 ? 0 : p[i] }
        case .sigmoid: Activation.sigmoid(p, n)
        case .tanh: for i in 0..<n { p[i] = tanhf(p[i]) }
        }
    }

    /// The sigmoid over `n` values, eight at a time with `VectorMath.exp` (libm's expf per
    /// value took as long as the whole last layer of the conv detector).
    static func sigmoid(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
        VectorMath.apply(p, n) { sigmoid($0) }
    }

    /// 1 / (1 + e^−x), with e^−|x| so the exponential never overflows.
    @inline(__always) static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let e = VectorMath.exp(VectorMath.float(VectorMath.bits(x) | Int32.min))  // e^−|x|
        let positive = 1 / (1 + e)
        return positive.replacing(with: e * positive, where: x .< 0)
    }

    /// dx = dy · f'(x), with f' written in terms of y = f(x). `dx` may alias `dy`.
    public func backward(dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
                         dx: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .linear: if UnsafePointer(dx) != dy { dx.update(from: dy, count: n) }
        case .relu: for i in 0..<n { dx[i] = y[i] > 0 ? dy[i] : 0 }
        case .sigmoid: for i in 0..<n { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .tanh: for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        }
    }

    @inline(__always) public static func sigmoid(_ x: Float) -> Float {
        // Split by sign so exp never overflows.
        if x >= 0 { return 1 / (1 + expf(-x)) }
        let e = expf(x)
        return e / (1 + e)
    }
}
