/// Direct kernels for a stride-1 convolution with several input and output channels (the
/// denoise preset's 10 → 10 3×3 Conv2DTranspose), on channel-planar images.
///
/// PaddedConv vectorises along a window row (kW·C floats) and sums the lanes at the end of
/// every output value; here each image is transposed to one zero-padded plane per channel,
/// so eight neighbouring output pixels are one SIMD8 and nothing needs a horizontal sum:
/// correlate keeps 16 pixels × 5 filters in ten registers (each input chunk loaded once for
/// five FMAs, each broadcast weight used twice), and the kernel gradient keeps 2 channels ×
/// 5 filters (each chunk of the image and of the gradient loaded once for five or two FMAs).
/// Both are bound by the FMA units, not by loads or FMA latency.
///
/// Layouts: input planes [roundUp(C, 2)][planeH][planeW], the image at (padTop, padLeft),
/// zero elsewhere; output planes [roundUp(F, 5)][outH][outRow], outRow = outW rounded up to
/// 16 (the lanes past outW are computed but never read back).
struct PlanarConv {
    static let filterGroup = 5, channelGroup = 2
    let g: ConvGeometry
    let filters: Int
    let planeH, planeW, outRow: Int

    init(_ g: ConvGeometry, filters: Int) {
        precondition(g.strideH == 1 && g.strideW == 1, "PlanarConv is for stride 1")
        self.g = g
        self.filters = filters
        outRow = (g.outW + 15) / 16 * 16
        planeW = max(outRow + g.kernelW - 1, g.padLeft + g.inW)
        planeH = max(g.outH + g.kernelH - 1, g.padTop + g.inH)
    }

    /// Where it beats PaddedConv: several channels in and out, stride 1.
    static func suits(_ g: ConvGeometry, filters: Int) -> Bool {
        g.strideH == 1 && g.strideW == 1 && g.channels >= 4 && filters >= 4
    }

    var groups: Int { (filters + Self.filterGroup - 1) / Self.filterGroup }
    var planeFloats: Int { planeH * planeW }
    var inputFloats: Int { (g.channels + 1) / 2 * 2 * planeFloats }
    var outputPlaneFloats: Int { g.outH * outRow }
    var outputFloats: Int { groups * Self.filterGroup * outputPlaneFloats }
    var packedKernelFloats: Int { groups * g.channels * g.kernelH * g.kernelW * Self.filterGroup }

    /// planes ← the NHWC image x [inH, inW, C], zero padded.
    func padInput(_ x: UnsafePointer<Float>, into planes: UnsafeMutablePointer<Float>) {
        zeroPadding(planes)
        let c = g.channels, floats = g.inH * g.inW * c
        for h in 0..<g.inH {
            ChannelTranspose.toPlanes(x + h * g.inW * c, pixels: g.inW, channels: c, readable: floats - h * g.inW * c,
                                      into: planes + (g.padTop + h) * planeW + g.padLeft, planeStride: planeFloats)
        }
    }

    /// planes[f] ← f(planes[f] + bias[f]) for each output plane, on the planes: the NHWC
    /// rows of ten floats vectorise poorly.
    func addBiasAndActivate(_ planes: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, _ activation: Activation) {
        let p = outputPlaneFloats
        for f in 0..<filters {
            let plane = planes + f * p, b = SIMD8<Float>(repeating: bias[f])
            for i in stride(from: 0, to: p, by: 8) {
                var v = load8(plane + i) + b
                if activation == .relu { v.replace(with: 0, where: v .< 0) }
                store8(v, plane + i)
            }
            if activation != .relu { activation.apply(plane, p) }
        }
    }

    /// sums[ch] += Σ of input plane ch (the image's channel sums: the padding is zero).
    func addChannelSums(_ planes: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Float>) {
        for ch in 0..<g.channels {
            let plane = planes + ch * planeFloats
            var acc = SIMD8<Float>()
            var i = 0
            while i + 8 <= planeFloats { acc += load8(plane + i); i += 8 }
            var total = horizontalSum(acc)
            for j in i..<planeFloats { total += plane[j] }
            sums[ch] += total
        }
    }

    /// Zeroes what padInput leaves: in each channel's plane the run from one row's last
    /// image column to the next row's first (with the rows above and below), and the
    /// planes past C. Cheaper than zeroing whole planes that are then overwritten.
    private func zeroPadding(_ planes: UnsafeMutablePointer<Float>) {
        let interiorEnd = g.padLeft + g.inW
        for ch in 0..<g.channels {
            let plane = planes + ch * planeFloats
            plane.update(repeating: 0, count: g.padTop * planeW + g.padLeft)
            for h in g.padTop..<(g.padTop + g.inH - 1) {
                // A few floats each: SIMD stores, not a memset call per row. The last store may
                // run into the next row's image columns, which padInput writes afterwards.
                var k = h * planeW + interiorEnd
                while k < (h + 1) * planeW + g.padLeft { store8(SIMD8(), plane + k); k += 8 }
            }
            let last = (g.padTop + g.inH - 1) * planeW + interiorEnd
            (plane + last).update(repeating: 0, count: planeFloats - last)
        }
        (planes + g.channels * planeFloats).update(repeating: 0, count: inputFloats - g.channels * planeFloats)
    }

    /// planes ← an NHWC image of the output's shape [outH, outW, F], zero past outW and F.
    func outputPlanes(_ y: UnsafePointer<Float>, into planes: UnsafeMutablePointer<Float>) {
        for f in 0..<filters {
            for h in 0..<g.outH { (planes + f * outputPlaneFloats + h * outRow + g.outW).update(repeating: 0, count: outRow - g.outW) }
        }
        (planes + filters * outputPlaneFloats).update(repeating: 0, count: outputFloats - filters * outputPlaneFloats)
        let f = filters, floats = g.outH * g.outW * f
        for h in 0..<g.outH {
            ChannelTranspose.toPlanes(y + h * g.outW * f, pixels: g.outW, channels: f, readable: floats - h * g.outW * f,
                                      into: planes + h * outRow, planeStride: outputPlaneFloats)
        }
    }

    /// y [outH, outW, F] ← output planes (the inverse of outputPlanes).
    func outputImage(_ planes: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let f = filters, floats = g.outH * g.outW * f
        for h in 0..<g.outH {
            ChannelTranspose.fromPlanes(planes + h * outRow, planeStride: outputPlaneFloats, pixels: g.outW, channels: f,
                                        writable: floats - h * g.outW * f, into: y + h * g.outW * f)
        }
    }

    /// wp ← a Keras kernel [kH, kW, C, F] as [group][C][kH][kW][5 filters], zero past F.
    func packKernel(_ w: UnsafePointer<Float>, into wp: UnsafeMutablePointer<Float>) {
        let c = g.channels, kh = g.kernelH, kw = g.kernelW, n = Self.filterGroup
        wp.update(repeating: 0, count: packedKernelFloats)
        for group in 0..<groups {
            for ch in 0..<c { for i in 0..<kh { for j in 0..<kw {
                let dst = wp + (((group * c + ch) * kh + i) * kw + j) * n
                for lane in 0..<min(n, filters - group * n) {
                    dst[lane] = w[((i * kw + j) * c + ch) * filters + group * n + lane]
                }
            } } }
        }
    }

    /// out planes [f][oh][ow] = Σ_c,kh,kw in[c][oh + kh][ow + kw]·w[kh, kw, c, f]: 16 pixels
    /// of a row by five filters per pass over the channels and taps.
    func correlate(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let taps = g.kernelH * g.kernelW, n = Self.filterGroup, p = outputPlaneFloats
        for group in 0..<groups {
            let wg = wp + group * g.channels * taps * n, yg = y + group * n * p
            for oh in 0..<g.outH {
                for v in stride(from: 0, to: outRow, by: 16) {
                    var tile = FilterTile()
                    var w = wg
                    for c in 0..<g.channels {
                        let plane = xp + c * planeFloats + oh * planeW + v
                        for kh in 0..<g.kernelH {
                            let row = plane + kh * planeW
                            for kw in 0..<g.kernelW {
                                tile.add(row + kw, w)
                                w += n
                            }
                        }
                    }
                    tile.store(yg + oh * outRow + v, filterStride: p)
                }
            }
        }
    }

    /// dw[kh, kw, c, f] += Σ_oh,ow in[c][oh + kh][ow + kw]·dy[f][oh][ow] (Keras layout),
    /// for input planes and output-gradient planes (zero past outW), two channels by five
    /// filters at a time.
    func accumulateKernelGradient(_ xp: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                  into dw: UnsafeMutablePointer<Float>) {
        let p = outputPlaneFloats, n = Self.filterGroup, c = g.channels
        for kh in 0..<g.kernelH {
            for kw in 0..<g.kernelW {
                for c0 in stride(from: 0, to: c, by: Self.channelGroup) {
                    for f0 in stride(from: 0, to: filters, by: n) {
                        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                        var a4 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>()
                        var b3 = SIMD8<Float>(), b4 = SIMD8<Float>()
                        for oh in 0..<g.outH {
                            let x0row = xp + c0 * planeFloats + (oh + kh) * planeW + kw, x1row = x0row + planeFloats
                            let d = dy + f0 * p + oh * outRow
                            var v = 0
                            while v < outRow {
                                let x0 = load8(x0row + v), x1 = load8(x1row + v)
                                let d0 = load8(d + v), d1 = load8(d + p + v), d2 = load8(d + 2 * p + v)
                                a0 = a0.addingProduct(x0, d0); b0 = b0.addingProduct(x1, d0)
                                a1 = a1.addingProduct(x0, d1); b1 = b1.addingProduct(x1, d1)
                                a2 = a2.addingProduct(x0, d2); b2 = b2.addingProduct(x1, d2)
                                let d3 = load8(d + 3 * p + v), d4 = load8(d + 4 * p + v)
                                a3 = a3.addingProduct(x0, d3); b3 = b3.addingProduct(x1, d3)
                                a4 = a4.addingProduct(x0, d4); b4 = b4.addingProduct(x1, d4)
                                v += 8
                            }
                        }
                        let t = dw + ((kh * g.kernelW + kw) * c + c0) * filters + f0, last = filters - f0
                        addSums(a0, a1, a2, a3, a4, into: t, count: last)
                        if c0 + 1 < c { addSums(b0, b1, b2, b3, b4, into: t + filters, count: last) }
                    }
                }
            }
        }
    }

    /// t[i] += Σ lanes of the i-th vector, for the first `count` (≤ 5) of them.
    @inline(__always)
    private func addSums(_ s0: SIMD8<Float>, _ s1: SIMD8<Float>, _ s2: SIMD8<Float>, _ s3: SIMD8<Float>,
                         _ s4: SIMD8<Float>, into t: UnsafeMutablePointer<Float>, count: Int) {
        t[0] += horizontalSum(s0)
        if count > 1 { t[1] += horizontalSum(s1) }
        if count > 2 { t[2] += horizontalSum(s2) }
        if count > 3 { t[3] += horizontalSum(s3) }
        if count > 4 { t[4] += horizontalSum(s4) }
    }
}
