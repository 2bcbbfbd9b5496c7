/// Max pooling over 2×2 windows moving one pixel (the denoise preset's pool), NHWC, no
/// padding before (`valid`, or `same`, whose −∞ row and column come after). Output (h, w)
/// pools input cells (h, w), (h, w+1), (h+1, w), (h+1, w+1), clipped to the image, in that
/// order with a strict >: the general path's scan order, so values and ties are the same.
///
/// Instead of a flat argmax index per output it records which cell won (0…3), so both
/// passes are SIMD over contiguous floats: forward compares four loads, and backward
/// gathers rather than scatters — input (h, w) sums dY of the outputs (h−1, w−1), (h−1, w),
/// (h, w−1), (h, w) whose code points at it, in that order (the scatter's order too).
struct MaxPool2x2Step1 {
    let inH, outH, line, rowLen, channels: Int

    init?(_ g: ConvGeometry) {
        guard g.kernelH == 2, g.kernelW == 2, g.strideH == 1, g.strideW == 1, g.padTop == 0, g.padLeft == 0,
              g.outH <= g.inH, g.outW <= g.inW else { return nil }
        inH = g.inH
        outH = g.outH
        channels = g.channels
        line = g.inW * g.channels
        rowLen = g.outW * g.channels
    }

    /// One image: y and the winning cells' codes, [outH, outW, C] each. Floats k < full have
    /// a right-hand cell (k + C), the rest (the last column, `same`) do not; each part goes in
    /// SIMD blocks, the last block overlapping the one before (same values written twice),
    /// since a scalar tail compiled to masked loads took half the time.
    func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, codes: UnsafeMutablePointer<Int32>) {
        let full = min(rowLen, line - channels)
        for oh in 0..<outH {
            let a = x + oh * line, b: UnsafePointer<Float>? = oh + 1 < inH ? a + line : nil
            let yr = y + oh * rowLen, cr = codes + oh * rowLen
            pool(a, b, 0..<full, right: true, into: yr, codes: cr)
            pool(a, b, full..<rowLen, right: false, into: yr, codes: cr)
        }
    }

    @inline(__always)
    private func pool(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, _ floats: Range<Int>, right: Bool,
                      into y: UnsafeMutablePointer<Float>, codes: UnsafeMutablePointer<Int32>) {
        let c = channels
        guard floats.count >= 8 else {
            for k in floats {
                var best = a[k], code: Int32 = 0
                if right, a[k + c] > best { best = a[k + c]; code = 1 }
                if let b, b[k] > best { best = b[k]; code = 2 }
                if let b, right, b[k + c] > best { best = b[k + c]; code = 3 }
                y[k] = best
                codes[k] = code
            }
            return
        }
        var k = floats.lowerBound
        while true {
            var best = load8(a + k), code = SIMD8<Int32>()
            if right { Self.challenge(&best, &code, load8(a + k + c), 1) }
            if let b {
                Self.challenge(&best, &code, load8(b + k), 2)
                if right { Self.challenge(&best, &code, load8(b + k + c), 3) }
            }
            store8(best, y + k)
            UnsafeMutableRawPointer(codes + k).storeBytes(of: code, as: SIMD8<Int32>.self)
            if k + 8 == floats.upperBound { return }
            k = min(k + 8, floats.upperBound - 8)
        }
    }

    @inline(__always)
    private static func challenge(_ best: inout SIMD8<Float>, _ code: inout SIMD8<Int32>, _ v: SIMD8<Float>, _ cell: Int32) {
        let better = v .> best
        best.replace(with: v, where: better)
        code.replace(with: cell, where: better)
    }

    /// One image: dx [inH, inW, C] from dY and the forward's codes (dx is overwritten).
    func backward(_ dy: UnsafePointer<Float>, codes: UnsafePointer<Int32>, into dx: UnsafeMutablePointer<Float>) {
        let c = channels
        for ih in 0..<inH {
            let above = ih >= 1 && ih - 1 < outH, here = ih < outH
            let dyAbove = dy + (ih - 1) * rowLen, codesAbove = codes + (ih - 1) * rowLen
            let dyHere = dy + ih * rowLen, codesHere = codes + ih * rowLen, dxr = dx + ih * line
            let rows = (above: above ? (dyAbove, codesAbove) : nil, here: here ? (dyHere, codesHere) : nil)
            // Floats k < C have no left-hand output (k − C); those past rowLen (`valid`) no own one.
            gather(rows, 0..<min(c, rowLen), left: false, into: dxr, row: ih, dy, codes)
            gather(rows, min(c, rowLen)..<rowLen, left: true, into: dxr, row: ih, dy, codes)
            for k in max(rowLen, c)..<line { dxr[k] = gradient(dy, codes, row: ih, float: k) }
        }
    }

    typealias GradientRow = (dy: UnsafePointer<Float>, codes: UnsafePointer<Int32>)

    /// dx over `floats` of one row from the output rows above and here (nil past the image),
    /// in SIMD blocks with an overlapping last block, like forward's pool.
    @inline(__always)
    private func gather(_ rows: (above: GradientRow?, here: GradientRow?), _ floats: Range<Int>, left: Bool,
                        into dx: UnsafeMutablePointer<Float>, row ih: Int,
                        _ dy: UnsafePointer<Float>, _ codes: UnsafePointer<Int32>) {
        guard floats.count >= 8 else {
            for k in floats { dx[k] = gradient(dy, codes, row: ih, float: k) }
            return
        }
        let c = channels
        var k = floats.lowerBound
        while true {
            var sum = SIMD8<Float>()
            if let (d, s) = rows.above {
                if left { sum += Self.routed(d + k - c, s + k - c, 3) }
                sum += Self.routed(d + k, s + k, 2)
            }
            if let (d, s) = rows.here {
                if left { sum += Self.routed(d + k - c, s + k - c, 1) }
                sum += Self.routed(d + k, s + k, 0)
            }
            store8(sum, dx + k)
            if k + 8 == floats.upperBound { return }
            k = min(k + 8, floats.upperBound - 8)
        }
    }

    /// dY where the code is `cell`, else 0. The mask is made in integers ((d − 1) >> 31 is
    /// all ones only for d = 0): a select on an Int32 compare was compiled lane by lane.
    @inline(__always)
    private static func routed(_ dy: UnsafePointer<Float>, _ codes: UnsafePointer<Int32>, _ cell: Int32) -> SIMD8<Float> {
        let code = UnsafeRawPointer(codes).loadUnaligned(as: SIMD8<Int32>.self)
        let mask = ((code ^ cell) &- 1) &>> 31
        return unsafeBitCast(unsafeBitCast(load8(dy), to: SIMD8<Int32>.self) & mask, to: SIMD8<Float>.self)
    }

    /// dx at float k of input row ih, for the edges the SIMD loop leaves.
    private func gradient(_ dy: UnsafePointer<Float>, _ codes: UnsafePointer<Int32>, row ih: Int, float k: Int) -> Float {
        let c = channels
        var sum: Float = 0
        func add(_ row: Int, _ at: Int, _ cell: Int32) {
            guard row >= 0, row < outH, at >= 0, at < rowLen, codes[row * rowLen + at] == cell else { return }
            sum += dy[row * rowLen + at]
        }
        add(ih - 1, k - c, 3)
        add(ih - 1, k, 2)
        add(ih, k - c, 1)
        add(ih, k, 0)
        return sum
    }
}
