import Foundation

/// A normalised Gaussian blur over height and width, taps out to ⌈3σ⌉, zero padding (or, with
/// `reflect`, the image mirrored at its border: d c b a | a b c d, so a border pixel is not
/// darkened by the zeros beyond it); it owns
/// its scratch buffer (one instance per thread).
final class SeparableBlur {
    let taps: [Float]
    let radius: Int
    let height: Int, width: Int, channels: Int
    private let scratch: UnsafeMutablePointer<Float>

    let reflect: Bool

    init(sigma: Double, height: Int, width: Int, channels: Int, reflect: Bool = false) {
        self.reflect = reflect
        radius = max(1, Int((3 * sigma).rounded(.up)))
        let raw = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = raw.reduce(0, +)
        taps = raw.map { Float($0 / total) }
        self.height = height; self.width = width; self.channels = channels
        scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * height * width * channels)
    }

    deinit { scratch.deallocate() }

    /// Index i reflected into 0..<n (the edge pixel repeated: −1 → 0, n → n − 1).
    @inline(__always)
    static func mirror(_ i: Int, _ n: Int) -> Int {
        var i = i
        while i < 0 || i >= n { i = i < 0 ? -i - 1 : 2 * n - i - 1 }
        return i
    }

    var count: Int { height * width * channels }

    /// out = G ∗ r, computed along width then along height (`out` may not alias `r`). Each
    /// output sums its taps in ascending order, whichever way it is computed: whole rows at a
    /// time (vectorised) where every tap is inside the image, pixel by pixel at the borders.
    func blur(_ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let rows = scratch, row = width * channels
        taps.withUnsafeBufferPointer { g in
            let inner = min(radius, width)..<max(min(radius, width), width - radius)
            for y in 0..<height {
                let src = r + y * row, dst = rows + y * row
                let lo = inner.lowerBound * channels, hi = inner.upperBound * channels
                (dst + lo).update(repeating: 0, count: hi - lo)
                for t in -radius...radius {
                    let w = g[t + radius], s = src + t * channels
                    for i in lo..<hi { dst[i] += w * s[i] }
                }
                for x in 0..<width where !inner.contains(x) {
                    for c in 0..<channels { dst[x * channels + c] = horizontal(g, src, x, c) }
                }
            }
            for y in 0..<height {
                let dst = out + y * row
                dst.update(repeating: 0, count: row)
                for t in -radius...radius {
                    var source = y + t
                    if reflect { source = Self.mirror(source, height) } else if source < 0 || source >= height { continue }
                    let w = g[t + radius], s = rows + source * row
                    for i in 0..<row { dst[i] += w * s[i] }
                }
            }
        }
    }

    /// One output of the horizontal pass, near a border.
    private func horizontal(_ g: UnsafeBufferPointer<Float>, _ src: UnsafePointer<Float>, _ x: Int, _ c: Int) -> Float {
        var acc: Float = 0
        if reflect {
            for t in -radius...radius { acc += g[t + radius] * src[Self.mirror(x + t, width) * channels + c] }
        } else {
            for t in max(-radius, -x)...min(radius, width - 1 - x) { acc += g[t + radius] * src[(x + t) * channels + c] }
        }
        return acc
    }

    /// Mean over every value of (G ∗ r)².
    func meanSquareOfBlurred(_ r: UnsafePointer<Float>) -> Double {
        let n = count, out = scratch + n
        blur(r, into: out)
        var sum: Float = 0
        for i in 0..<n { sum += out[i] * out[i] }
        return Double(sum) / Double(n)
    }
}
