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
    /// One row with `radius` pixels of padding (zeros, or the mirrored image) on each side.
    private let paddedRow: UnsafeMutablePointer<Float>

    let reflect: Bool

    init(sigma: Double, height: Int, width: Int, channels: Int, reflect: Bool = false) {
        self.reflect = reflect
        radius = max(1, Int((3 * sigma).rounded(.up)))
        let raw = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = raw.reduce(0, +)
        taps = raw.map { Float($0 / total) }
        self.height = height; self.width = width; self.channels = channels
        scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * height * width * channels)
        paddedRow = UnsafeMutablePointer<Float>.allocate(capacity: (width + 2 * radius) * channels)
    }

    deinit { scratch.deallocate(); paddedRow.deallocate() }

    /// Index i reflected into 0..<n (the edge pixel repeated: −1 → 0, n → n − 1).
    @inline(__always)
    static func mirror(_ i: Int, _ n: Int) -> Int {
        var i = i
        while i < 0 || i >= n { i = i < 0 ? -i - 1 : 2 * n - i - 1 }
        return i
    }

    var count: Int { height * width * channels }

    /// out = G ∗ r, computed along width then along height (`out` may not alias `r`). Each
    /// output sums its taps in ascending order, whole rows at a time (vectorised): along width
    /// over a copy of the row padded at both ends, along height skipping rows outside the image
    /// (a zero tap adds nothing) or taking their mirror.
    func blur(_ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let rows = scratch, row = width * channels
        taps.withUnsafeBufferPointer { g in
            for y in 0..<height {
                pad(r + y * row)
                let dst = rows + y * row
                dst.update(repeating: 0, count: row)
                for t in 0..<g.count {
                    let w = g[t], s = paddedRow + t * channels
                    for i in 0..<row { dst[i] += w * s[i] }
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

    /// paddedRow ← the row `src` with `radius` pixels before and after it: zeros, or with
    /// `reflect` the row's pixels mirrored at its ends.
    private func pad(_ src: UnsafePointer<Float>) {
        let c = channels, row = width * c
        (paddedRow + radius * c).update(from: src, count: row)
        for x in -radius..<0 {
            let before = paddedRow + (x + radius) * c, after = paddedRow + (width + radius - 1 - x) * c
            if reflect {
                before.update(from: src + Self.mirror(x, width) * c, count: c)
                after.update(from: src + Self.mirror(width - 1 - x, width) * c, count: c)
            } else {
                before.update(repeating: 0, count: c)
                after.update(repeating: 0, count: c)
            }
        }
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
