/// Float SIMD8 exp, log and log1p as polynomials, where the scalar libm calls per element
/// dominated a loop (the noise, the loss). Good to a few 1e-7 relative; bit tricks stand in
/// for selects on integer compares, which Swift compiled lane by lane.
public enum VectorMath {
    /// Natural log of positive normal floats: x = 2^e·m with m ∈ [√½, √2), and
    /// log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, by its series to s⁹. Adding
    /// 1 − √½ to the mantissa bits carries into the exponent exactly when m would be ≥ √2.
    public static func log(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let shifted = bits(x) &+ (0x3F80_0000 - 0x3F35_04F3)
        let e = (shifted &>> 23) &- 127
        let m = float((shifted & 0x7F_FFFF) &+ 0x3F35_04F3)
        let s = (m - 1) / (m + 1), s2 = s * s
        var p = SIMD8<Float>(repeating: 1.0 / 9)
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        p = p * s2 + 1
        return SIMD8<Float>(e) * 0.693147181 + 2 * s * p
    }

    /// e^x for x ≤ 88; below −87.3 (where e^x would leave the normal floats) it is e^−87.3.
    /// x = n·ln 2 + r with |r| ≤ ln2/2 (n rounded by the 1.5·2²³ trick, ln 2 in two parts),
    /// e^r by Cephes' expf polynomial, 2^n built in the exponent bits.
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let xc = x.replacing(with: -87.3, where: x .< -87.3)
        let shifted = xc * 1.44269504 + 12_582_912
        let n = shifted - 12_582_912
        let r = xc - n * 0.693359375 + n * 2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * (r * r) + r + 1
        let scale = float((bits(shifted) &- 0x4B40_0000 &+ 127) &<< 23)
        return y * scale
    }

    /// log(1 + x) for x ≥ 0, accurate for small x too: log(u)·x/(u − 1) with u = 1 + x
    /// rounded (the ratio corrects the rounding of u), and x itself where u rounds to 1.
    static func log1p(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let u = x + 1, d = u - 1
        let corrected = log(u) * (x / d)
        return corrected.replacing(with: x, where: d .== 0)
    }

    /// p[i] ← f(p[i]) for i < n, eight at a time; the tail is padded with zeros and goes
    /// through `f` too, so a value's result does not depend on where a block ends.
    @inline(__always)
    public static func apply(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) {
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: f(x), as: SIMD8<Float>.self)
            i += 8
        }
        guard i < n else { return }
        var x = SIMD8<Float>()
        for j in 0..<(n - i) { x[j] = p[i + j] }
        let y = f(x)
        for j in 0..<(n - i) { p[i + j] = y[j] }
    }

    @inline(__always) static func bits(_ x: SIMD8<Float>) -> SIMD8<Int32> { unsafeBitCast(x, to: SIMD8<Int32>.self) }
    @inline(__always) static func float(_ x: SIMD8<Int32>) -> SIMD8<Float> { unsafeBitCast(x, to: SIMD8<Float>.self) }
}
