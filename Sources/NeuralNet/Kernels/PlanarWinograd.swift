/// PlanarConv's correlate for 3-row kernels with Winograd F(4, 3) down the columns: four
/// output rows from six input rows take 6 transformed rows × kW taps of multiply-adds per
/// channel and filter instead of 4 × 3 × kW, half the FMAs. Along a row it stays direct, so
/// every transform is whole rows added together (no lane shuffles).
///
/// y[r] = Σ_k g[k]·d[r + k] (r < 4) is Aᵀ((G·g) ⊙ (Bᵀ·d)) with Lavin & Gray's matrices
/// below; the kernel's G·g is packed once per call, Bᵀ·d is made per channel and block of
/// four rows, Aᵀ per filter. Outputs differ from the direct sums by float rounding only.
extension PlanarConv {
    static let winogradRows = 4, winogradTerms = 6

    /// 3-row kernels and whole blocks of four output rows.
    var suitsWinograd: Bool { g.kernelH == 3 && g.outH % Self.winogradRows == 0 }

    var winogradKernelFloats: Int { groups * Self.winogradTerms * g.channels * g.kernelW * Self.filterGroup }

    /// packKernel / packWinogradKernel and their correlate, by `winograd`.
    func kernelFloats(winograd: Bool) -> Int { winograd ? winogradKernelFloats : packedKernelFloats }

    func pack(_ w: UnsafePointer<Float>, into wp: UnsafeMutablePointer<Float>, winograd: Bool) {
        if winograd { packWinogradKernel(w, into: wp) } else { packKernel(w, into: wp) }
    }

    func correlate(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                   winograd: Bool) {
        if winograd { correlateWinograd(xp, wp, into: y) } else { correlate(xp, wp, into: y) }
    }

    /// wt ← G·(the kernel's three rows), per column tap: [group][term][C][kW][5 filters].
    func packWinogradKernel(_ w: UnsafePointer<Float>, into wt: UnsafeMutablePointer<Float>) {
        let c = g.channels, kw = g.kernelW, n = Self.filterGroup, t = Self.winogradTerms
        let G: [(Float, Float, Float)] = [(1 / 4, 0, 0), (-1 / 6, -1 / 6, -1 / 6), (-1 / 6, 1 / 6, -1 / 6),
                                          (1 / 24, 1 / 12, 1 / 6), (1 / 24, -1 / 12, 1 / 6), (0, 0, 1)]
        wt.update(repeating: 0, count: winogradKernelFloats)
        for group in 0..<groups { for term in 0..<t { for ch in 0..<c { for j in 0..<kw {
            let dst = wt + (((group * t + term) * c + ch) * kw + j) * n
            for lane in 0..<min(n, filters - group * n) {
                func tap(_ i: Int) -> Float { w[((i * kw + j) * c + ch) * filters + group * n + lane] }
                dst[lane] = G[term].0 * tap(0) + G[term].1 * tap(1) + G[term].2 * tap(2)
            }
        } } } }
    }

    /// The same as correlate with packKernel's layout, from packWinogradKernel's.
    func correlateWinograd(_ xp: UnsafePointer<Float>, _ wt: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let terms = Self.winogradTerms, columns = outRow + g.kernelW - 1, vRow = (columns + 7) / 8 * 8
        withUnsafeTemporaryAllocation(of: Float.self, capacity: g.channels * terms * vRow + terms * 80) { scratch in
            let v = scratch.baseAddress!, m = v + g.channels * terms * vRow
            for oh in stride(from: 0, to: g.outH, by: Self.winogradRows) {
                for c in 0..<g.channels {
                    transformRows(xp + c * planeFloats + oh * planeW, columns: columns, into: v + c * terms * vRow, stride: vRow)
                }
                for group in 0..<groups {
                    for col in stride(from: 0, to: outRow, by: 16) {
                        multiplyTerms(v + col, vRow: vRow, wt + group * terms * g.channels * g.kernelW * Self.filterGroup, into: m)
                        outputRows(m, into: y + group * Self.filterGroup * outputPlaneFloats + oh * outRow + col)
                    }
                }
            }
        }
    }

    /// Bᵀ·(six rows of one input plane), `columns` floats each, into six rows `stride` apart.
    private func transformRows(_ d: UnsafePointer<Float>, columns: Int, into v: UnsafeMutablePointer<Float>, stride: Int) {
        let w = planeW
        var j = 0
        while j + 8 <= columns {
            let p = d + j
            let d0 = load8(p), d1 = load8(p + w), d2 = load8(p + 2 * w), d3 = load8(p + 3 * w)
            let d4 = load8(p + 4 * w), d5 = load8(p + 5 * w)
            store8(4 * d0 - 5 * d2 + d4, v + j)
            store8(d3 + d4 - 4 * (d1 + d2), v + stride + j)
            store8(d4 - d3 + 4 * (d1 - d2), v + 2 * stride + j)
            store8(d4 - d2 + 2 * (d3 - d1), v + 3 * stride + j)
            store8(d4 - d2 + 2 * (d1 - d3), v + 4 * stride + j)
            store8(4 * d1 - 5 * d3 + d5, v + 5 * stride + j)
            j += 8
        }
        for j in j..<columns {
            let d0 = d[j], d1 = d[j + w], d2 = d[j + 2 * w], d3 = d[j + 3 * w], d4 = d[j + 4 * w], d5 = d[j + 5 * w]
            v[j] = 4 * d0 - 5 * d2 + d4
            v[stride + j] = d3 + d4 - 4 * (d1 + d2)
            v[2 * stride + j] = d4 - d3 + 4 * (d1 - d2)
            v[3 * stride + j] = d4 - d2 + 2 * (d3 - d1)
            v[4 * stride + j] = d4 - d2 + 2 * (d1 - d3)
            v[5 * stride + j] = 4 * d1 - 5 * d3 + d5
        }
    }

    /// m[term][f][16] = Σ_c,kw v[c][term][kw…kw + 15]·wt[term][c][kw][f] for one group of
    /// five filters and 16 columns: the correlate's register blocking, per term.
    private func multiplyTerms(_ v: UnsafePointer<Float>, vRow: Int, _ wg: UnsafePointer<Float>,
                               into m: UnsafeMutablePointer<Float>) {
        let terms = Self.winogradTerms, n = Self.filterGroup, kw = g.kernelW
        for term in 0..<terms {
            var tile = FilterTile()
            var w = wg + term * g.channels * kw * n
            for c in 0..<g.channels {
                let row = v + (c * terms + term) * vRow
                for j in 0..<kw {
                    tile.add(row + j, w)
                    w += n
                }
            }
            tile.store(m + term * 80, filterStride: 16)
        }
    }

    /// Four output rows (16 columns, five filter planes) ← Aᵀ·m.
    private func outputRows(_ m: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        for k in stride(from: 0, to: 80, by: 8) {
            let m0 = load8(m + k), m1 = load8(m + 80 + k), m2 = load8(m + 160 + k)
            let m3 = load8(m + 240 + k), m4 = load8(m + 320 + k), m5 = load8(m + 400 + k)
            let out = y + k / 16 * outputPlaneFloats + k % 16
            let sum12 = m1 + m2, diff12 = m1 - m2, sum34 = m3 + m4, diff34 = m3 - m4
            store8(sum12 + sum34 + m0, out)
            store8(diff12 + 2 * diff34, out + outRow)
            store8(sum12 + 4 * sum34, out + 2 * outRow)
            store8(diff12 + 8 * diff34 + m5, out + 3 * outRow)
        }
    }
}
