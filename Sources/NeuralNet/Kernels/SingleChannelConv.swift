/// Direct kernels for a Conv2D on one input channel (the presets' first layers), no im2col,
/// no GEMM: im2col + a GEMM with k = kH·kW and n = F ≤ 16 ran OpenBLAS far below its peak.
///
/// The F outputs of a pixel live in two SIMD8 registers (filters zero padded to 16): each
/// kernel tap adds one broadcast input value times the tap's 16 weights. Images are padded
/// by PaddedConv, so a tap is a fixed offset from a window's start, whatever the border.
struct SingleChannelConv {
    let p: PaddedConv
    let filters: Int
    /// Tap t = (kh, kw) reads the padded image at window start + offsets[t]; rounded up to a
    /// multiple of three taps (extra ones read offset 0 into dW slots that are never kept).
    let offsets: [Int]
    let taps: Int

    static let lanes = 16

    static func suits(channels: Int, filters: Int) -> Bool { channels == 1 && filters <= lanes }

    init(_ p: PaddedConv) {
        self.p = p
        filters = p.filters
        taps = p.g.kernelH * p.g.kernelW
        var offsets = (0..<taps).map { t in t / p.g.kernelW * p.width + t % p.g.kernelW }
        while offsets.count % 3 != 0 { offsets.append(0) }
        self.offsets = offsets
    }

    /// Floats of a padded kernel or of one thread's dW: 16 per (rounded up) tap.
    var kernelFloats: Int { offsets.count * Self.lanes }

    /// wp[t·16 + f] ← Keras kernel [kH, kW, 1, F] at tap t, filter f; zero for f ≥ F.
    func padKernel(_ w: UnsafePointer<Float>, into wp: UnsafeMutablePointer<Float>) {
        wp.update(repeating: 0, count: kernelFloats)
        for t in 0..<taps {
            for f in 0..<filters { wp[t * Self.lanes + f] = w[t * filters + f] }
        }
    }

    /// Floats of one thread's gradients: its padded dW, then its db padded to 16.
    var partFloats: Int { kernelFloats + Self.lanes }

    /// dW (Keras layout) and db ← the sums of `count` per-thread gradients (partFloats apart).
    func unpadGradients(_ parts: UnsafePointer<Float>, count: Int, kernel w: UnsafeMutablePointer<Float>,
                        bias b: UnsafeMutablePointer<Float>) {
        func sum(_ i: Int) -> Float { (0..<count).reduce(0) { $0 + parts[$1 * partFloats + i] } }
        for t in 0..<taps {
            for f in 0..<filters { w[t * filters + f] = sum(t * Self.lanes + f) }
        }
        for f in 0..<filters { b[f] = sum(kernelFloats + f) }
    }

    /// y[pixel, f] = bias[f] + Σ_t xp[window + offsets[t]]·wp[t, f], four pixels of a row at
    /// a time so each tap's weights are loaded once for four.
    /// The kernel is packForward's (for ten filters, correlateTen's layout). `relu` (only with
    /// ten filters, see fusesActivation) applies that activation too.
    func correlate(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                   into y: UnsafeMutablePointer<Float>, relu: Bool = false) {
        if usesTenFilterForward { return correlateTen(xp, wp, bias: bias, into: y, relu: relu) }
        precondition(!relu, "SingleChannelConv.correlate fuses relu for ten filters only")
        var b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
        for f in 0..<filters { if f < 8 { b0[f] = bias[f] } else { b1[f - 8] = bias[f] } }
        let g = p.g, step = g.strideW
        offsets.withUnsafeBufferPointer { off in
            for oh in 0..<g.outH {
                let out = y + oh * g.outW * filters
                var ow = 0
                while ow + 4 <= g.outW {
                    var a0 = b0, a1 = b1, c0 = b0, c1 = b1, d0 = b0, d1 = b1, e0 = b0, e1 = b1
                    let s = xp + p.window(oh, ow)
                    for t in 0..<taps {
                        let w = wp + t * Self.lanes, x = s + off[t]
                        let w0 = load8(w), w1 = load8(w + 8)
                        let x0 = SIMD8<Float>(repeating: x[0]), x1 = SIMD8<Float>(repeating: x[step])
                        let x2 = SIMD8<Float>(repeating: x[2 * step]), x3 = SIMD8<Float>(repeating: x[3 * step])
                        a0 = a0.addingProduct(x0, w0); a1 = a1.addingProduct(x0, w1)
                        c0 = c0.addingProduct(x1, w0); c1 = c1.addingProduct(x1, w1)
                        d0 = d0.addingProduct(x2, w0); d1 = d1.addingProduct(x2, w1)
                        e0 = e0.addingProduct(x3, w0); e1 = e1.addingProduct(x3, w1)
                    }
                    store(a0, a1, out + ow * filters)
                    store(c0, c1, out + (ow + 1) * filters)
                    store(d0, d1, out + (ow + 2) * filters)
                    store(e0, e1, out + (ow + 3) * filters)
                    ow += 4
                }
                for ow in ow..<g.outW {
                    var a0 = b0, a1 = b1
                    let s = xp + p.window(oh, ow)
                    for t in 0..<taps {
                        let w = wp + t * Self.lanes, x0 = SIMD8<Float>(repeating: s[off[t]])
                        a0 = a0.addingProduct(x0, load8(w)); a1 = a1.addingProduct(x0, load8(w + 8))
                    }
                    store(a0, a1, out + ow * filters)
                }
            }
        }
    }

    /// The first `filters` lanes of (lo, hi) to y; nothing past them, which is the next
    /// pixel's or another thread's.
    @inline(__always)
    private func store(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>) {
        if filters >= 8 {
            store8(lo, y)
            for f in 8..<filters { y[f] = hi[f - 8] }
        } else {
            for f in 0..<filters { y[f] = lo[f] }
        }
    }

    /// dzp ← dz [pixels, F] as [pixels, 16], zero padded, so a pixel's gradient is two loads;
    /// db += Σ_pixels dz on the way.
    func padGradient(_ dz: UnsafePointer<Float>, into dzp: UnsafeMutablePointer<Float>,
                     biasGradient db: UnsafeMutablePointer<Float>) {
        let pixels = p.g.outPixels, f = Int32(filters), lane = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let keep0 = lane .< f, keep1 = lane .< f - 8, zero = SIMD8<Float>()
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        for q in 0..<pixels {
            let d = dzp + q * Self.lanes, src = dz + q * filters
            // Two loads masked to the pixel's F values; the last pixels, where the 16 floats
            // would run past the image, are copied one by one.
            if (pixels - q) * filters >= 16 {
                let v0 = zero.replacing(with: load8(src), where: keep0)
                let v1 = zero.replacing(with: load8(src + 8), where: keep1)
                store8(v0, d); store8(v1, d + 8)
                s0 += v0; s1 += v1
            } else {
                d.update(repeating: 0, count: Self.lanes)
                d.update(from: src, count: filters)
                s0 += load8(d); s1 += load8(d + 8)
            }
        }
        store8(load8(db) + s0, db); store8(load8(db + 8) + s1, db + 8)
    }

    /// dw[t, f] += Σ_pixels xp[window + offsets[t]]·dzp[pixel, f], three taps at a time
    /// (six accumulators sharing each pixel's two gradient loads).
    func accumulateKernelGradient(_ xp: UnsafePointer<Float>, _ dzp: UnsafePointer<Float>,
                                  into dw: UnsafeMutablePointer<Float>) {
        let g = p.g
        offsets.withUnsafeBufferPointer { off in
            for t in stride(from: 0, to: off.count, by: 3) {
                let o0 = off[t], o1 = off[t + 1], o2 = off[t + 2]
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>()
                var d = dzp
                for oh in 0..<g.outH {
                    for ow in 0..<g.outW {
                        let s = xp + p.window(oh, ow), d0 = load8(d), d1 = load8(d + 8)
                        let x0 = SIMD8<Float>(repeating: s[o0]), x1 = SIMD8<Float>(repeating: s[o1])
                        let x2 = SIMD8<Float>(repeating: s[o2])
                        a0 = a0.addingProduct(x0, d0); a1 = a1.addingProduct(x0, d1)
                        b0 = b0.addingProduct(x1, d0); b1 = b1.addingProduct(x1, d1)
                        c0 = c0.addingProduct(x2, d0); c1 = c1.addingProduct(x2, d1)
                        d += Self.lanes
                    }
                }
                let w = dw + t * Self.lanes
                store8(load8(w) + a0, w); store8(load8(w + 8) + a1, w + 8)
                store8(load8(w + 16) + b0, w + 16); store8(load8(w + 24) + b1, w + 24)
                store8(load8(w + 32) + c0, w + 32); store8(load8(w + 40) + c1, w + 40)
            }
        }
    }

    /// dxp[window + offsets[t]] += Σ_f dzp[pixel, f]·wp[t, f] (dxp is not zeroed here). Only a
    /// Conv2D that is not first in its model needs it, so it is kept simple.
    func scatter(_ dzp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, into dxp: UnsafeMutablePointer<Float>) {
        let g = p.g
        var d = dzp
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                let s = dxp + p.window(oh, ow), d0 = load8(d), d1 = load8(d + 8)
                for t in 0..<taps {
                    let w = wp + t * Self.lanes
                    s[offsets[t]] += horizontalSum(d0 * load8(w) + d1 * load8(w + 8))
                }
                d += Self.lanes
            }
        }
    }
}
