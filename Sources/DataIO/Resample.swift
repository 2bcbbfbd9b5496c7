/// Resizes Float32 [H, W, C] images. Separable: along each axis, shrinking averages the covered input
/// area (box filter with fractional coverage) and enlarging interpolates linearly between pixel centres.
public enum Resample {
    public static func resize(_ src: [Float], height: Int, width: Int, channels: Int,
                              toHeight: Int, toWidth: Int) -> [Float] {
        precondition(src.count == height * width * channels && height > 0 && width > 0 && toHeight > 0 && toWidth > 0)
        if height == toHeight && width == toWidth { return src }
        let rowWeights = weights(from: height, to: toHeight)
        let colWeights = weights(from: width, to: toWidth)
        // Rows first: [H, W, C] → [toH, W, C].
        var tall = [Float](repeating: 0, count: toHeight * width * channels)
        let rowStride = width * channels
        for (y, taps) in rowWeights.enumerated() {
            for (i, w) in taps {
                for k in 0..<rowStride { tall[y * rowStride + k] += w * src[i * rowStride + k] }
            }
        }
        // Then columns: [toH, W, C] → [toH, toW, C].
        var out = [Float](repeating: 0, count: toHeight * toWidth * channels)
        for y in 0..<toHeight {
            for (x, taps) in colWeights.enumerated() {
                for (i, w) in taps {
                    for c in 0..<channels {
                        out[(y * toWidth + x) * channels + c] += w * tall[(y * width + i) * channels + c]
                    }
                }
            }
        }
        return out
    }

    /// For each output index, the (input index, weight) pairs; weights sum to 1.
    static func weights(from n: Int, to m: Int) -> [[(Int, Float)]] {
        let scale = Double(n) / Double(m)
        return (0..<m).map { j in m < n ? areaTaps(j, scale: scale, n: n) : linearTaps(j, scale: scale, n: n) }
    }

    /// Output pixel j covers input interval [j·scale, (j+1)·scale).
    private static func areaTaps(_ j: Int, scale: Double, n: Int) -> [(Int, Float)] {
        let lo = Double(j) * scale, hi = min(Double(j + 1) * scale, Double(n))
        var taps: [(Int, Float)] = []
        var i = Int(lo)
        while Double(i) < hi && i < n {
            let overlap = min(hi, Double(i + 1)) - max(lo, Double(i))
            if overlap > 0 { taps.append((i, Float(overlap / (hi - lo)))) }
            i += 1
        }
        return taps
    }

    /// Half-pixel centres (align_corners = false), clamped at the borders.
    private static func linearTaps(_ j: Int, scale: Double, n: Int) -> [(Int, Float)] {
        let x = min(max((Double(j) + 0.5) * scale - 0.5, 0), Double(n - 1))
        let i0 = Int(x), i1 = min(i0 + 1, n - 1)
        let f = Float(x - Double(i0))
        if i0 == i1 || f == 0 { return [(i0, Float(1))] }
        return [(i0, 1 - f), (i1, f)]
    }
}
