/// The LSTM cell for the tape-free and training kernels: an exp shorter than fastExp's (see
/// `reduced`; tanh through e^x − 1 instead of a series near 0), and the five quotients of a cell
/// (three sigmoids, two tanh) put over two divisions (also when training, which keeps the
/// activations themselves), and the cell's backward. The divider is the one slow unit these loops use (a vector divide
/// issues every 5 cycles), so it set their pace. Scalar code on purpose: in a loop over
/// samples the compiler vectorises it 8 wide, which Swift's SIMD8 generic operations did worse.
enum LSTMCellMath {
    /// Gate rows r and r + 1 for a block of 32 samples: their input projections p0, p1 + bias
    /// + Σ_j Wh[j, r…r+1]·h_j (h_j: unit j's 32 values at h + j·hStride; skipped before the
    /// first step, where h is zero), stored to q0 and q1. Eight independent FMA chains; each h load
    /// feeds two. The inference and training kernels lay their blocks out differently and
    /// share this.
    @inline(__always)
    static func twoGateRows(_ r: Int, projections p0: UnsafePointer<Float>, _ p1: UnsafePointer<Float>,
                            bias: UnsafePointer<Float>, recurrentKernel wh: UnsafePointer<Float>, units: Int,
                            h: UnsafePointer<Float>, hStride: Int, firstStep: Bool,
                            into q0: UnsafeMutablePointer<Float>, _ q1: UnsafeMutablePointer<Float>) {
        let g4 = 4 * units
        var a = Lanes32(p0, plus: SIMD8(repeating: bias[r])), c = Lanes32(p1, plus: SIMD8(repeating: bias[r + 1]))
        if !firstStep {
            for j in 0..<units {
                let hj = Lanes32(h + j * hStride)
                a.add(SIMD8(repeating: wh[j * g4 + r]), times: hj)
                c.add(SIMD8(repeating: wh[j * g4 + r + 1]), times: hj)
            }
        }
        a.store(q0)
        c.store(q1)
    }

    /// c' = σ(zf)·c + σ(zi)·tanh(zg) and h = σ(zo)·tanh(c').
    @inline(__always)
    static func cell(i zi: Float, f zf: Float, g zg: Float, o zo: Float, c: Float) -> (c: Float, h: Float) {
        let ei = exp(-zi), ef = exp(-zf), eo = exp(-zo)
        let (gNumerator, gDenominator) = tanhQuotient(zg)
        // σ(zf)·c + σ(zi)·tanh(zg) = (c·B + gNumerator·A) / (A·B) with A = 1 + e^{−zf},
        // B = (1 + e^{−zi})·gDenominator. exp's upper clamp keeps A·B below 1e26.
        let a = 1 + ef, b = (1 + ei) * gDenominator
        let cNew = (gNumerator * a).addingProduct(c, b) / (a * b)
        let (hNumerator, hDenominator) = tanhQuotient(cNew)
        return (cNew, hNumerator / ((1 + eo) * hDenominator))
    }

    /// The cell for the training forward, with what backward needs: the four gate activations
    /// and tanh(c'). The four gate quotients share one division (1/a = b·c·d · 1/(a·b·c·d)),
    /// tanh(c') takes the other. exp's clamp at 29 keeps the product of the four
    /// denominators below 1.2e38, inside Float's range.
    @inline(__always)
    static func trainingCell(i zi: Float, f zf: Float, g zg: Float, o zo: Float, c: Float)
        -> (i: Float, f: Float, g: Float, o: Float, c: Float, tanhC: Float, h: Float) {
        let a = 1 + exp(-zi), b = 1 + exp(-zf), e = 1 + exp(-zo)
        let (gNumerator, gDenominator) = tanhQuotient(zg)
        let ab = a * b, ge = gDenominator * e
        let inverse = 1 / (ab * ge)
        let inverseAB = ge * inverse, inverseGE = ab * inverse
        let i = b * inverseAB, f = a * inverseAB
        let g = gNumerator * e * inverseGE, o = gDenominator * inverseGE
        let cNew = (f * c).addingProduct(i, g)
        let (hNumerator, hDenominator) = tanhQuotient(cNew)
        let tanhC = hNumerator / hDenominator
        return (i, f, g, o, cNew, tanhC, o * tanhC)
    }

    /// Backward through one cell from its activations: dL/d(pre-activations) of the four gates
    /// and dL/dc_{prev}, given dL/dh and dL/dc of its outputs (dc from the next step).
    @inline(__always)
    static func cellBackward(i: Float, f: Float, g: Float, o: Float, cPrev: Float, tanhC: Float, dh: Float, dc: Float)
        -> (i: Float, f: Float, g: Float, o: Float, cPrev: Float) {
        let dcTotal = dc + dh * o * (1 - tanhC * tanhC)
        return (dcTotal * g * (i - i * i), dcTotal * cPrev * (f - f * f), dcTotal * i * (1 - g * g),
                dh * tanhC * (o - o * o), dcTotal * f)
    }

    /// tanh(x) as numerator / denominator: with m = e^{−2|x|} − 1, tanh|x| = −m / (2 + m), and
    /// x's sign. m comes without the cancellation of 1 − e^{−2|x|} near 0, so no separate
    /// series is needed there (fastTanh's).
    @inline(__always)
    static func tanhQuotient(_ x: Float) -> (Float, Float) {
        let m = expm1OfNonPositive(-2 * Swift.abs(x))
        return (Float(signOf: x, magnitudeOf: -m), 2 + m)
    }

    /// e^x for x clamped to [−87, 29], within 1.5e-7 relative.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let (scale, q) = reduced(x > 29 ? 29 : x)
        return scale.addingProduct(scale, q)
    }

    /// e^x − 1 for x ≤ 0 (clamped below at −87) as 2^k·q + (2^k − 1): both terms exact or
    /// nearly, and no cancellation when k = 0.
    @inline(__always)
    static func expm1OfNonPositive(_ x: Float) -> Float {
        let (scale, q) = reduced(x)
        return (scale - 1).addingProduct(scale, q)
    }

    /// e^x = 2^k·(1 + q) with q = e^r − 1, r = x − k·ln2 in [−ln2/2, ln2/2], x clamped below
    /// at −87 (k ≥ −126). k is rounded by adding 1.5·2²³, after which the sum's low bits hold
    /// k itself: 2^k is built from them, with no float-to-integer conversion. q = r + r²·P(r),
    /// P a minimax fit of degree 4 (not Cephes' degree 5): q within 1.5e-7 relative of e^r − 1,
    /// and 1 + q within 5e-8 of e^r. (The clamp is written as a select: it compiles to one
    /// vector max, where Swift.max's NaN rule takes a compare and a blend.)
    @inline(__always)
    static func reduced(_ x: Float) -> (scale: Float, q: Float) {
        let x = x < -87 ? -87 : x
        let magic: Float = 12_582_912
        let shifted = magic.addingProduct(x, 1.442_695_04)
        let k = shifted - magic
        let r = x.addingProduct(k, -0.693_359_375).addingProduct(k, 2.121_944_40e-4)
        var p = Float(8.366_661_146e-3).addingProduct(r, 1.381_795_621e-3)
        p = Float(4.166_813_567e-2).addingProduct(r, p)
        p = Float(1.666_654_348e-1).addingProduct(r, p)
        p = Float(4.999_999_702e-1).addingProduct(r, p)
        return (Float(bitPattern: (shifted.bitPattern &+ 127) << 23), r.addingProduct(r * r, p))
    }
}
