/// Direct kernels for a convolution with few input and output channels, no im2col, no GEMM.
///
/// The image is first copied into a zero-padded buffer big enough for every window, so a
/// window's kernel row kh is always kW·C contiguous floats, whatever the border. The three
/// products of a conv are then short vector loops over those rows, per filter f:
/// forward y_f = Σ_kh row·w_f,kh (dot products), input gradient row += Σ_f dz_f·w_f,kh (axpy),
/// kernel gradient w_f,kh += dz_f·row (summed over all pixels in registers). For the few
/// channels of the presets' conv layers (C, F ≤ 10) this beats im2col + a GEMM with 1–10
/// columns, which OpenBLAS runs far below its peak. The same three serve Conv2DTranspose,
/// whose forward is the underlying conv's input gradient.
///
/// Rows are processed in SIMD8 chunks of `paddedRow` = kW·C rounded up to 8; the padded
/// kernel copy is zero past kW·C, so the extra lanes read (padding slack) add nothing,
/// and lanes past paddedRow are computed but never stored.
struct PaddedConv {
    let g: ConvGeometry
    /// Padded image height and width: every window fits, and so does the whole image.
    let height, width: Int
    /// kW·C, and the same rounded up to a multiple of 8.
    let row, paddedRow: Int

    /// Output channels F of the conv (at most a few dozen: the loops keep them in no registers
    /// but visit them per pixel).
    let filters: Int

    /// Where the direct kernels beat im2col + GEMM (measured on the presets' layers): few
    /// filters, and kernel rows of enough channels to fill SIMD8 chunks.
    static func suits(channels: Int, filters: Int) -> Bool { filters <= 16 && channels >= 4 }

    init(_ g: ConvGeometry, filters: Int) {
        self.g = g
        self.filters = filters
        height = max((g.outH - 1) * g.strideH + g.kernelH, g.padTop + g.inH)
        width = max((g.outW - 1) * g.strideW + g.kernelW, g.padLeft + g.inW)
        row = g.kernelW * g.channels
        paddedRow = (row + 7) / 8 * 8
    }

    /// Floats of one padded image, plus slack for the widest chunk read past its end.
    var imageFloats: Int { height * width * g.channels + 32 }
    /// Padded kernel floats, plus slack for the widest chunk read past the last row.
    /// (Filters are padded to a multiple of four for correlate.)
    var kernelFloats: Int { (filters + 3) / 4 * 4 * g.kernelH * paddedRow + 32 }

    /// xp ← x placed at (padTop, padLeft), zero elsewhere. Only the border is zeroed: the
    /// image part is written once.
    func pad(_ x: UnsafePointer<Float>, into xp: UnsafeMutablePointer<Float>) {
        let c = g.channels, line = g.inW * c, rowFloats = width * c
        let left = g.padLeft * c, right = rowFloats - left - line
        xp.update(repeating: 0, count: g.padTop * rowFloats + left)
        for h in 0..<g.inH {
            let row = xp + (g.padTop + h) * rowFloats + left
            row.update(from: x + h * line, count: line)
            // This row's right margin and the next row's left margin are contiguous.
            (row + line).update(repeating: 0, count: h + 1 < g.inH ? right + left : 0)
        }
        let end = (g.padTop + g.inH) * rowFloats - right
        (xp + end).update(repeating: 0, count: imageFloats - end)
    }

    /// x ← the image part of xp (the adjoint of pad: what fell on the padding is dropped).
    func crop(_ xp: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>) {
        let c = g.channels, line = g.inW * c
        for h in 0..<g.inH {
            (x + h * line).update(from: xp + ((g.padTop + h) * width + g.padLeft) * c, count: line)
        }
    }

    /// wp ← Keras kernel [kH, kW·C, F] as F rows of [kH, paddedRow], zero padded.
    func padKernel(_ w: UnsafePointer<Float>, into wp: UnsafeMutablePointer<Float>) {
        wp.update(repeating: 0, count: kernelFloats)
        for f in 0..<filters {
            for kh in 0..<g.kernelH {
                let dst = wp + (f * g.kernelH + kh) * paddedRow, src = w + kh * row * filters + f
                for j in 0..<row { dst[j] = src[j * filters] }
            }
        }
    }

    /// w ← the Keras layout of a padded kernel (the inverse of padKernel), summing two parts.
    func unpadKernel(_ parts: UnsafePointer<Float>, count: Int, into w: UnsafeMutablePointer<Float>) {
        for f in 0..<filters {
            for kh in 0..<g.kernelH {
                let dst = w + kh * row * filters + f, src = parts + (f * g.kernelH + kh) * paddedRow
                for j in 0..<row {
                    var sum: Float = 0
                    for part in 0..<count { sum += src[part * kernelFloats + j] }
                    dst[j * filters] = sum
                }
            }
        }
    }

    /// Start of the window under output pixel (oh, ow) in the padded image.
    @inline(__always)
    func window(_ oh: Int, _ ow: Int) -> Int { (oh * g.strideH * width + ow * g.strideW) * g.channels }

    /// y[p, f] = bias[f] + Σ_kh dot(window row kh, wp[f] row kh) for every output pixel p.
    /// Several filters: four at a time (the kernel copy is padded to a multiple of four
    /// filters), so each chunk of the window is loaded once for four products.
    func correlate(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                   into y: UnsafeMutablePointer<Float>) {
        if filters == 1 { return correlateSingle(xp, wp, bias: bias?[0] ?? 0, into: y) }
        let line = width * g.channels, filterFloats = g.kernelH * paddedRow
        var out = y
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                let base = xp + window(oh, ow)
                var f = 0
                while f < filters {
                    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                    let w0 = wp + f * filterFloats
                    for kh in 0..<g.kernelH {
                        let s = base + kh * line, w = w0 + kh * paddedRow
                        var j = 0
                        while j < paddedRow {
                            let v = load8(s + j)
                            a0 = a0.addingProduct(v, load8(w + j))
                            a1 = a1.addingProduct(v, load8(w + filterFloats + j))
                            a2 = a2.addingProduct(v, load8(w + 2 * filterFloats + j))
                            a3 = a3.addingProduct(v, load8(w + 3 * filterFloats + j))
                            j += 8
                        }
                    }
                    let sums = SIMD4(horizontalSum(a0), horizontalSum(a1), horizontalSum(a2), horizontalSum(a3))
                    for i in 0..<min(4, filters - f) { out[f + i] = sums[i] + (bias?[f + i] ?? 0) }
                    f += 4
                }
                out += filters
            }
        }
    }

    /// correlate for one filter: eight output pixels of a row at a time, each kernel chunk
    /// loaded once for the eight, and their eight horizontal sums done as one transpose-add.
    private func correlateSingle(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, bias: Float,
                                 into y: UnsafeMutablePointer<Float>) {
        let line = width * g.channels, step = g.strideW * g.channels
        for oh in 0..<g.outH {
            let out = y + oh * g.outW
            var ow = 0
            while ow + 8 <= g.outW {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
                let base = xp + window(oh, ow)
                for kh in 0..<g.kernelH {
                    let s = base + kh * line, w = wp + kh * paddedRow
                    var j = 0
                    while j < paddedRow {
                        let k = load8(w + j), x = s + j
                        a0 = a0.addingProduct(load8(x), k)
                        a1 = a1.addingProduct(load8(x + step), k)
                        a2 = a2.addingProduct(load8(x + 2 * step), k)
                        a3 = a3.addingProduct(load8(x + 3 * step), k)
                        a4 = a4.addingProduct(load8(x + 4 * step), k)
                        a5 = a5.addingProduct(load8(x + 5 * step), k)
                        a6 = a6.addingProduct(load8(x + 6 * step), k)
                        a7 = a7.addingProduct(load8(x + 7 * step), k)
                        j += 8
                    }
                }
                let q0 = pairSums(pairSums(a0, a1), pairSums(a2, a3))
                let q1 = pairSums(pairSums(a4, a5), pairSums(a6, a7))
                store8(pairSums(q0, q1) + bias, out + ow)
                ow += 8
            }
            for ow in ow..<g.outW {
                var a0 = SIMD8<Float>()
                let base = xp + window(oh, ow)
                for kh in 0..<g.kernelH {
                    let s = base + kh * line, w = wp + kh * paddedRow
                    var j = 0
                    while j < paddedRow { a0 = a0.addingProduct(load8(s + j), load8(w + j)); j += 8 }
                }
                out[ow] = horizontalSum(a0) + bias
            }
        }
    }

    /// xp[window row kh] += Σ_f dz[p, f]·wp[f] row kh for every output pixel p (xp is not
    /// zeroed here), 32 floats of a row at a time with the sum over f in registers.
    /// Columns are visited in passes a window width apart, so no chunk is loaded right after
    /// an overlapping store to it (a store-forwarding stall on every chunk otherwise).
    func scatter(_ dz: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, into xp: UnsafeMutablePointer<Float>) {
        let line = width * g.channels, filterFloats = g.kernelH * paddedRow
        let step = max(1, (g.kernelW + g.strideW - 1) / g.strideW)
        for oh in 0..<g.outH {
            for first in 0..<min(step, g.outW) {
                for ow in stride(from: first, to: g.outW, by: step) {
                    let v = dz + (oh * g.outW + ow) * filters, base = xp + window(oh, ow)
                    if filters == 1 {
                        let v0 = SIMD8<Float>(repeating: v[0])
                        for kh in 0..<g.kernelH {
                            let d = base + kh * line, w = wp + kh * paddedRow
                            var j = 0
                            while j < paddedRow {
                                store8(load8(d + j).addingProduct(v0, load8(w + j)), d + j)
                                j += 8
                            }
                        }
                        continue
                    }
                    for kh in 0..<g.kernelH {
                        let d = base + kh * line, w = wp + kh * paddedRow
                        var j = 0
                        while j < paddedRow {
                            var a = Lanes32()
                            for f in 0..<filters {
                                a.add(SIMD8(repeating: v[f]), times: Lanes32(w + f * filterFloats + j))
                            }
                            a.add(into: d + j, floats: paddedRow - j)
                            j += 32
                        }
                    }
                }
            }
        }
    }

    /// dw[f][kh][j] += Σ_p dz[p, f]·window row kh [j], in registers: 32 floats of a kernel
    /// row at a time over all pixels, two filters at a time (eight independent FMA chains
    /// sharing each load), then one add into dw.
    func accumulateKernelGradient(_ xp: UnsafePointer<Float>, _ dz: UnsafePointer<Float>,
                                  into dw: UnsafeMutablePointer<Float>) {
        if filters == 1, g.kernelH % 3 == 0 { return accumulateSingleFilterGradientByThrees(xp, dz, into: dw) }
        if filters == 1 { return accumulateSingleFilterGradient(xp, dz, into: dw) }
        let line = width * g.channels, filterFloats = g.kernelH * paddedRow
        for f in stride(from: 0, to: filters, by: 2) {
            let pair = f + 1 < filters
            for kh in 0..<g.kernelH {
                var j = 0
                while j < paddedRow {
                    var a = Lanes32(), b = Lanes32()
                    var d = dz + f
                    let second = pair ? 1 : 0  // an odd last filter pairs with itself, not stored
                    for oh in 0..<g.outH {
                        let rowStart = xp + kh * line + j
                        for ow in 0..<g.outW {
                            let s = rowStart + window(oh, ow)
                            let x = Lanes32(s)
                            a.add(SIMD8(repeating: d.pointee), times: x)
                            b.add(SIMD8(repeating: d[second]), times: x)
                            d += filters
                        }
                    }
                    let t = dw + (f * g.kernelH + kh) * paddedRow + j
                    a.add(into: t, floats: paddedRow - j)
                    if pair { b.add(into: t + filterFloats, floats: paddedRow - j) }
                    j += 32
                }
            }
        }
    }

    /// accumulateKernelGradient for one filter: two kernel rows at a time share each dz
    /// broadcast (pairing the filter with itself would throw half the FMAs away).
    private func accumulateSingleFilterGradient(_ xp: UnsafePointer<Float>, _ dz: UnsafePointer<Float>,
                                                into dw: UnsafeMutablePointer<Float>) {
        let line = width * g.channels
        for kh in stride(from: 0, to: g.kernelH, by: 2) {
            let pair = kh + 1 < g.kernelH, next = pair ? line : 0  // an odd last row pairs with itself, not stored
            var j = 0
            while j < paddedRow {
                var a = Lanes32(), b = Lanes32()
                var d = dz
                let rowStart = xp + kh * line + j
                for oh in 0..<g.outH {
                    for ow in 0..<g.outW {
                        let s = rowStart + window(oh, ow), u = SIMD8<Float>(repeating: d.pointee)
                        a.add(u, times: Lanes32(s))
                        b.add(u, times: Lanes32(s + next))
                        d += 1
                    }
                }
                let out = dw + kh * paddedRow + j
                a.add(into: out, floats: paddedRow - j)
                if pair { b.add(into: out + paddedRow, floats: paddedRow - j) }
                j += 32
            }
        }
    }

    /// accumulateSingleFilterGradient for kernels of 3, 6, … rows: three kernel rows share each
    /// dz broadcast (twelve accumulators), so a 3-row kernel is one pass, not a pair and a
    /// last row paired with itself, whose second half of the FMAs was thrown away.
    private func accumulateSingleFilterGradientByThrees(_ xp: UnsafePointer<Float>, _ dz: UnsafePointer<Float>,
                                                        into dw: UnsafeMutablePointer<Float>) {
        let line = width * g.channels
        for kh in stride(from: 0, to: g.kernelH, by: 3) {
            var j = 0
            while j < paddedRow {
                var a = Lanes32(), b = Lanes32(), c = Lanes32()
                var d = dz
                let rowStart = xp + kh * line + j
                for oh in 0..<g.outH {
                    for ow in 0..<g.outW {
                        let s = rowStart + window(oh, ow), u = SIMD8<Float>(repeating: d.pointee)
                        a.add(u, times: Lanes32(s))
                        b.add(u, times: Lanes32(s + line))
                        c.add(u, times: Lanes32(s + 2 * line))
                        d += 1
                    }
                }
                let out = dw + kh * paddedRow + j
                a.add(into: out, floats: paddedRow - j)
                b.add(into: out + paddedRow, floats: paddedRow - j)
                c.add(into: out + 2 * paddedRow, floats: paddedRow - j)
                j += 32
            }
        }
    }
}

/// Σ lanes as a tree of three vector adds; SIMD8.sum() adds the lanes one after another,
/// a chain of seven dependent adds that dominated the multi-filter forward.
@inline(__always)
func horizontalSum(_ v: SIMD8<Float>) -> Float {
    let h = v.lowHalf + v.highHalf, q = h.lowHalf + h.highHalf
    return q[0] + q[1]
}

/// Lanes 0–3: sums of adjacent lane pairs of a; lanes 4–7: the same of b. Three levels of
/// it turn eight vectors into the vector of their eight sums.
@inline(__always)
func pairSums(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    SIMD8(lowHalf: a.evenHalf, highHalf: b.evenHalf) + SIMD8(lowHalf: a.oddHalf, highHalf: b.oddHalf)
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
