/// Sixteen standard normals from eight random words, in Float SIMD: Box–Muller on eight
/// pairs (u1, u2), both outputs of each pair used (r·cos θ and r·sin θ). The scalar Double
/// log and cos per value were most of the denoising noise's time.
///
/// Each word's low 24 bits give u1 = (k + 1)/2²⁴ ∈ (0, 1] (never log 0; |z| ≤ 5.8), bits
/// 32–55 give u2 = k/2²⁴ ∈ [0, 1). log (VectorMath) and sincos are polynomials good to a
/// few 1e-7, far below what noise needs.
enum BoxMuller8 {
    static func normals(_ words: SIMD8<UInt64>) -> (cos: SIMD8<Float>, sin: SIMD8<Float>) {
        let low = SIMD8<Int32>(truncatingIfNeeded: words & 0xFF_FFFF)
        let high = SIMD8<Int32>(truncatingIfNeeded: (words &>> 32) & 0xFF_FFFF)
        let u1 = (SIMD8<Float>(low) + 1) * (1 / 16_777_216)
        let r = (-2 * VectorMath.log(u1)).squareRoot()
        let (c, s) = sinCosOfTurn(high)
        return (r * c, r * s)
    }

    /// (cos 2πt, sin 2πt) for t = k/2²⁴, k ∈ [0, 2²⁴): the nearest quarter turn q is split
    /// off in integers (exact), the rest |θ| ≤ π/4 goes through Taylor polynomials, and
    /// the quarter turns swap and negate the pair.
    static func sinCosOfTurn(_ k: SIMD8<Int32>) -> (cos: SIMD8<Float>, sin: SIMD8<Float>) {
        let q = (k &+ (1 << 21)) &>> 22
        let theta = SIMD8<Float>(k &- (q &<< 22)) * (2 * Float.pi / 16_777_216)
        let t2 = theta * theta
        var s = SIMD8<Float>(repeating: 1.0 / 362_880)
        s = s * t2 - 1.0 / 5040
        s = s * t2 + 1.0 / 120
        s = s * t2 - 1.0 / 6
        s = (s * t2 + 1) * theta
        var c = SIMD8<Float>(repeating: 1.0 / 40320)
        c = c * t2 - 1.0 / 720
        c = c * t2 + 1.0 / 24
        c = c * t2 - 0.5
        c = c * t2 + 1
        // In bits: selects on Int32 compares were compiled lane by lane.
        let swap = 0 &- (q & 1), cb = VectorMath.bits(c), sb = VectorMath.bits(s)
        let cosine = ((cb & ~swap) | (sb & swap)) ^ (((q &+ 1) & 2) &<< 30)
        let sine = ((sb & ~swap) | (cb & swap)) ^ ((q & 2) &<< 30)
        return (VectorMath.float(cosine), VectorMath.float(sine))
    }
}
