/// 32 consecutive floats in four SIMD8 registers: the accumulator of the register-blocked
/// kernels that run 32 floats of a row (a kernel row's stretch in `PaddedConv`, a block of
/// 32 samples in the LSTM kernels) through many FMAs before touching memory again.
/// Must be inlined to stay in registers.
struct Lanes32 {
    var v0: SIMD8<Float>, v1: SIMD8<Float>, v2: SIMD8<Float>, v3: SIMD8<Float>

    @inline(__always)
    init() { v0 = SIMD8(); v1 = SIMD8(); v2 = SIMD8(); v3 = SIMD8() }

    /// p[0..<32].
    @inline(__always)
    init(_ p: UnsafePointer<Float>) {
        v0 = load8(p); v1 = load8(p + 8); v2 = load8(p + 16); v3 = load8(p + 24)
    }

    /// p[0..<32] + b. (Not a default argument of the plain load: x + 0 is not x for x = −0,
    /// so the compiler would keep the adds.)
    @inline(__always)
    init(_ p: UnsafePointer<Float>, plus b: SIMD8<Float>) {
        v0 = load8(p) + b; v1 = load8(p + 8) + b; v2 = load8(p + 16) + b; v3 = load8(p + 24) + b
    }

    /// self += u·x, lane by lane.
    @inline(__always)
    mutating func add(_ u: SIMD8<Float>, times x: Lanes32) {
        v0 = v0.addingProduct(u, x.v0); v1 = v1.addingProduct(u, x.v1)
        v2 = v2.addingProduct(u, x.v2); v3 = v3.addingProduct(u, x.v3)
    }

    @inline(__always)
    func store(_ p: UnsafeMutablePointer<Float>) {
        store8(v0, p); store8(v1, p + 8); store8(v2, p + 16); store8(v3, p + 24)
    }

    /// t[0..<min(floats, 32)] += self (floats is a multiple of 8).
    @inline(__always)
    func add(into t: UnsafeMutablePointer<Float>, floats: Int) {
        store8(load8(t) + v0, t)
        if floats > 8 { store8(load8(t + 8) + v1, t + 8) }
        if floats > 16 { store8(load8(t + 16) + v2, t + 16) }
        if floats > 24 { store8(load8(t + 24) + v3, t + 24) }
    }
}
