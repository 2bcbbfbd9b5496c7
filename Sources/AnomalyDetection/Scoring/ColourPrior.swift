import Foundation

/// The colour prior of the `zmap` rule (colour images only): how rarely normal images show a
/// pixel's colour. The colours of the training images are counted in 32 levels per channel (8
/// of 256); the counts, divided by their total and smoothed by a Gaussian of one bin along each
/// axis (zero beyond the cube), estimate the colour density d, and the term is
/// ln(G₁ ∗ 1/(d + 10⁻⁷)) over the image. A thin scratch that keeps the texture's brightness is
/// partly reconstructed, and its residual is no larger than that of the texture's own fibres or
/// grains; its colour is one that no normal pixel has (reports/quality.md).
///
/// The rule stores the counts (`ScoringRule.colourCounts`, bin and count of every non-empty
/// bin), so the table is rebuilt exactly, in a fixed order, wherever the model is loaded.
public struct ColourPrior: Sendable {
    public static let levels = 32
    static let sigma = 1.0, radius = 3
    public static let densityFloor = 1e-7
    public static var bins: Int { levels * levels * levels }

    /// 1/(d + 10⁻⁷) per bin, bin = (r·32 + g)·32 + b.
    public let rarity: [Float]

    /// The table of sparse counts (bin, count, bin, count, …).
    public init(counts: [Int]) {
        precondition(counts.count % 2 == 0, "colour counts come in (bin, count) pairs")
        let n = Self.levels
        var density = [Double](repeating: 0, count: Self.bins)
        var total = 0.0
        for k in stride(from: 0, to: counts.count, by: 2) { density[counts[k]] += Double(counts[k + 1]); total += Double(counts[k + 1]) }
        if total > 0 { for i in 0..<density.count { density[i] /= total } }
        let raw = (-Self.radius...Self.radius).map { exp(-Double($0 * $0) / (2 * Self.sigma * Self.sigma)) }
        let taps = raw.map { $0 / raw.reduce(0, +) }
        // Along b, then g, then r: each output adds its taps in ascending order.
        for step in [1, n, n * n] {
            var out = [Double](repeating: 0, count: density.count)
            for i in 0..<density.count {
                let position = (i / step) % n
                var sum = 0.0
                for t in -Self.radius...Self.radius where position + t >= 0 && position + t < n {
                    sum += taps[t + Self.radius] * density[i + t * step]
                }
                out[i] = sum
            }
            density = out
        }
        rarity = density.map { Float(1 / ($0 + Self.densityFloor)) }
    }

    /// The bin of one RGB pixel in [0, 1]: each channel's ⌊32·v⌋, clamped to 0…31.
    @inline(__always)
    public static func bin(_ p: UnsafePointer<Float>) -> Int {
        func level(_ v: Float) -> Int { Int(min(max((v * Float(levels)).rounded(.down), 0), Float(levels - 1))) }
        return (level(p[0]) * levels + level(p[1])) * levels + level(p[2])
    }

    /// Adds the colours of `count` RGB images of `pixels` pixels to a dense histogram of `bins` counts.
    static func count(_ images: UnsafePointer<Float>, pixels: Int, into histogram: inout [Int]) {
        for i in 0..<pixels { histogram[bin(images + 3 * i)] += 1 }
    }

    /// (bin, count) of every non-empty bin of a dense histogram, bins ascending.
    static func sparse(_ histogram: [Int]) -> [Int] {
        histogram.indices.filter { histogram[$0] > 0 }.flatMap { [$0, histogram[$0]] }
    }
}
