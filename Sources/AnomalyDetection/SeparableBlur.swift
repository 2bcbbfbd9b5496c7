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

    /// out = G ∗ r, computed along width then along height (`out` may not alias `r`).
    func blur(_ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let rows = scratch
        taps.withUnsafeBufferPointer { g in
            for y in 0..<height { for x in 0..<width { for c in 0..<channels {
                var acc: Float = 0
                if reflect {
                    for t in -radius...radius { acc += g[t + radius] * r[(y * width + Self.mirror(x + t, width)) * channels + c] }
                } else {
                    for t in max(-radius, -x)...min(radius, width - 1 - x) {
                        acc += g[t + radius] * r[(y * width + x + t) * channels + c]
                    }
                }
                rows[(y * width + x) * channels + c] = acc
            } } }
            for y in 0..<height { for x in 0..<width { for c in 0..<channels {
                var acc: Float = 0
                if reflect {
                    for t in -radius...radius { acc += g[t + radius] * rows[(Self.mirror(y + t, height) * width + x) * channels + c] }
                } else {
                    for t in max(-radius, -y)...min(radius, height - 1 - y) {
                        acc += g[t + radius] * rows[((y + t) * width + x) * channels + c]
                    }
                }
                out[(y * width + x) * channels + c] = acc
            } } }
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
