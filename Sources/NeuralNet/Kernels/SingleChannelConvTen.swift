/// SingleChannelConv's forward for exactly ten filters (the presets' first layers): four
/// pixels' outputs are 40 contiguous NHWC floats, five full SIMD8, where the 16-lane form
/// spends two registers (six lanes idle) and a store with scalar tail per pixel. Each chunk
/// takes its lanes' input value from one of two neighbouring pixels (a blend of two
/// broadcasts) times that tap's weights laid out in the same pixel/filter order.
///
/// Chunk lanes → (pixel, filters): 0: p0 f0–7; 1: p0 f8–9, p1 f0–5; 2: p1 f6–9, p2 f0–3;
/// 3: p2 f4–9, p3 f0–1; 4: p3 f2–9.
extension SingleChannelConv {
    static let tenFilters = 10, tenChunk = 40

    var usesTenFilterForward: Bool { filters == Self.tenFilters }

    /// Whether correlate can apply this activation itself.
    func fusesActivation(_ activation: Activation) -> Bool { usesTenFilterForward && activation == .relu }

    /// Floats of the kernel as correlate reads it (packForward's layout).
    var forwardKernelFloats: Int { usesTenFilterForward ? taps * Self.tenChunk : kernelFloats }

    /// wp ← the Keras kernel [kH, kW, 1, F] in correlate's layout: padKernel's [tap][16], or
    /// for ten filters [tap][40] with lane j holding filter j mod 10.
    func packForward(_ w: UnsafePointer<Float>, into wp: UnsafeMutablePointer<Float>) {
        guard usesTenFilterForward else { return padKernel(w, into: wp) }
        for t in 0..<taps {
            for j in 0..<Self.tenChunk { wp[t * Self.tenChunk + j] = w[t * filters + j % filters] }
        }
    }

    /// correlate for ten filters, four pixels of a row at a time; when outW is not a multiple
    /// of four the row's last block overlaps the one before (the same values written twice:
    /// the scalar tail it replaces made a 14-pixel row 50% slower). Rows under four pixels go
    /// one value at a time. With `relu` the activation is applied in registers, saving the
    /// layer a second pass over its output.
    func correlateTen(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                      into y: UnsafeMutablePointer<Float>, relu: Bool) {
        func activated(_ v: SIMD8<Float>) -> SIMD8<Float> { relu ? v.replacing(with: 0, where: v .< 0) : v }
        let lane = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let m1 = lane .>= 2, m2 = lane .>= 4, m3 = lane .>= 6
        func biasChunk(_ k: Int) -> SIMD8<Float> {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = bias[(8 * k + l) % Self.tenFilters] }
            return v
        }
        let c0 = biasChunk(0), c1 = biasChunk(1), c2 = biasChunk(2), c3 = biasChunk(3), c4 = biasChunk(4)
        let g = p.g, step = g.strideW, f = Self.tenFilters
        offsets.withUnsafeBufferPointer { off in
            for oh in 0..<g.outH {
                let out = y + oh * g.outW * f
                var ow = 0
                while g.outW >= 4 {
                    var a0 = c0, a1 = c1, a2 = c2, a3 = c3, a4 = c4
                    let s = xp + p.window(oh, ow)
                    for t in 0..<taps {
                        let w = wp + t * Self.tenChunk, x = s + off[t]
                        let x0 = SIMD8<Float>(repeating: x[0]), x1 = SIMD8<Float>(repeating: x[step])
                        let x2 = SIMD8<Float>(repeating: x[2 * step]), x3 = SIMD8<Float>(repeating: x[3 * step])
                        a0 = a0.addingProduct(x0, load8(w))
                        a1 = a1.addingProduct(x0.replacing(with: x1, where: m1), load8(w + 8))
                        a2 = a2.addingProduct(x1.replacing(with: x2, where: m2), load8(w + 16))
                        a3 = a3.addingProduct(x2.replacing(with: x3, where: m3), load8(w + 24))
                        a4 = a4.addingProduct(x3, load8(w + 32))
                    }
                    let o = out + ow * f
                    store8(activated(a0), o); store8(activated(a1), o + 8); store8(activated(a2), o + 16)
                    store8(activated(a3), o + 24); store8(activated(a4), o + 32)
                    if ow + 4 == g.outW { break }
                    ow = min(ow + 4, g.outW - 4)
                }
                for ow in 0..<(g.outW < 4 ? g.outW : 0) {
                    let s = xp + p.window(oh, ow), o = out + ow * f
                    for j in 0..<f {
                        var sum = bias[j]
                        for t in 0..<taps { sum += s[off[t]] * wp[t * Self.tenChunk + j] }
                        o[j] = relu ? max(sum, 0) : sum
                    }
                }
            }
        }
    }
}
