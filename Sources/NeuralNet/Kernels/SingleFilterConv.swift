/// Direct kernels for a convolution with one output channel (F = 1), no im2col, no GEMM.
///
/// The image is first copied into a zero-padded buffer big enough for every window, so a
/// window's kernel row kh is always kW·C contiguous floats, whatever the border. With F = 1
/// the three products of a conv are then short vector loops over those rows:
/// forward y = Σ_kh row·w_kh (dot products), input gradient row += dz·w_kh (axpy), kernel
/// gradient w_kh += dz·row (summed over all pixels in registers). The same three serve
/// Conv2DTranspose with one input channel, whose forward is this conv's input gradient.
///
/// Rows are processed in SIMD8 chunks of `paddedRow` = kW·C rounded up to 8; the padded
/// kernel copy is zero past kW·C, so the extra lanes read (padding slack) add nothing.
struct PaddedConv {
    let g: ConvGeometry
    /// Padded image height and width: every window fits, and so does the whole image.
    let height, width: Int
    /// kW·C, and the same rounded up to a multiple of 8.
    let row, paddedRow: Int

    init(_ g: ConvGeometry) {
        self.g = g
        height = max((g.outH - 1) * g.strideH + g.kernelH, g.padTop + g.inH)
        width = max((g.outW - 1) * g.strideW + g.kernelW, g.padLeft + g.inW)
        row = g.kernelW * g.channels
        paddedRow = (row + 7) / 8 * 8
    }

    /// Floats of one padded image, plus slack for the widest chunk read past its end.
    var imageFloats: Int { height * width * g.channels + 32 }
    var kernelFloats: Int { g.kernelH * paddedRow }

    /// xp ← x placed at (padTop, padLeft), zero elsewhere.
    func pad(_ x: UnsafePointer<Float>, into xp: UnsafeMutablePointer<Float>) {
        xp.update(repeating: 0, count: imageFloats)
        let c = g.channels, line = g.inW * c
        for h in 0..<g.inH {
            (xp + ((g.padTop + h) * width + g.padLeft) * c).update(from: x + h * line, count: line)
        }
    }

    /// x ← the image part of xp (the adjoint of pad: what fell on the padding is dropped).
    func crop(_ xp: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>) {
        let c = g.channels, line = g.inW * c
        for h in 0..<g.inH {
            (x + h * line).update(from: xp + ((g.padTop + h) * width + g.padLeft) * c, count: line)
        }
    }

    /// wp ← kernel [kH, kW·C] with rows padded by zeros to paddedRow.
    func padKernel(_ w: UnsafePointer<Float>, into wp: UnsafeMutablePointer<Float>) {
        wp.update(repeating: 0, count: kernelFloats)
        for kh in 0..<g.kernelH { (wp + kh * paddedRow).update(from: w + kh * row, count: row) }
    }

    /// Start of the window under output pixel (oh, ow) in the padded image.
    @inline(__always)
    func window(_ oh: Int, _ ow: Int) -> Int { (oh * g.strideH * width + ow * g.strideW) * g.channels }

    /// y[p] = bias + Σ_kh dot(window row kh, wp row kh) for every output pixel p.
    func correlate(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, bias: Float,
                   into y: UnsafeMutablePointer<Float>) {
        let line = width * g.channels
        var out = y
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                let base = xp + window(oh, ow)
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
                for kh in 0..<g.kernelH {
                    let s = base + kh * line, w = wp + kh * paddedRow
                    var j = 0
                    while j + 16 <= paddedRow {
                        a0 = a0.addingProduct(load8(s + j), load8(w + j))
                        a1 = a1.addingProduct(load8(s + j + 8), load8(w + j + 8))
                        j += 16
                    }
                    if j < paddedRow { a0 = a0.addingProduct(load8(s + j), load8(w + j)) }
                }
                out.pointee = (a0 + a1).sum() + bias
                out += 1
            }
        }
    }

    /// xp[window row kh] += dz[p]·wp row kh for every output pixel p (xp is not zeroed here).
    /// Columns are visited in passes a window width apart, so no chunk is loaded right after
    /// an overlapping store to it (a store-forwarding stall on every chunk otherwise).
    func scatter(_ dz: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, into xp: UnsafeMutablePointer<Float>) {
        let line = width * g.channels
        let step = max(1, (g.kernelW + g.strideW - 1) / g.strideW)
        for oh in 0..<g.outH {
            for first in 0..<min(step, g.outW) {
                for ow in stride(from: first, to: g.outW, by: step) {
                    let v = SIMD8<Float>(repeating: dz[oh * g.outW + ow]), base = xp + window(oh, ow)
                    for kh in 0..<g.kernelH {
                        let d = base + kh * line, w = wp + kh * paddedRow
                        var j = 0
                        while j < paddedRow {
                            store8(load8(d + j).addingProduct(v, load8(w + j)), d + j)
                            j += 8
                        }
                    }
                }
            }
        }
    }

    /// dw[kh·paddedRow + j] += Σ_p dz[p]·window row kh [j], in registers: 32 floats of a
    /// kernel row at a time over all pixels, then one add into dw.
    func accumulateKernelGradient(_ xp: UnsafePointer<Float>, _ dz: UnsafePointer<Float>,
                                  into dw: UnsafeMutablePointer<Float>) {
        let line = width * g.channels
        for kh in 0..<g.kernelH {
            var j = 0
            while j < paddedRow {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                var d = dz
                for oh in 0..<g.outH {
                    let rowStart = xp + kh * line + j
                    for ow in 0..<g.outW {
                        let v = SIMD8<Float>(repeating: d.pointee), s = rowStart + window(oh, ow)
                        a0 = a0.addingProduct(v, load8(s))
                        a1 = a1.addingProduct(v, load8(s + 8))
                        a2 = a2.addingProduct(v, load8(s + 16))
                        a3 = a3.addingProduct(v, load8(s + 24))
                        d += 1
                    }
                }
                let t = dw + kh * paddedRow + j, n = paddedRow - j
                store8(load8(t) + a0, t)
                if n > 8 { store8(load8(t + 8) + a1, t + 8) }
                if n > 16 { store8(load8(t + 16) + a2, t + 16) }
                if n > 24 { store8(load8(t + 24) + a3, t + 24) }
                j += 32
            }
        }
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { load8(UnsafePointer(p)) }

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
