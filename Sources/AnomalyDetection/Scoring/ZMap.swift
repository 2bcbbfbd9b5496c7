import Foundation
import NeuralNet

/// The anomaly map of the `zmap` rule, for textures and photographs: three per-pixel terms,
/// each the log of a blurred energy and standardised by the mean and standard deviation of its
/// top 1% over normal images (`ZMapStatistics`), combined by their pixelwise maximum.
///
/// - error: ln(G₁ ∗ Σ_c (x − x̂)²), what the autoencoder failed to reconstruct;
/// - lost sharpness: −ln(G₁.₅ ∗ Σ_c (x − G₀.₇ ∗ x)²), from the input alone: a blurred or
///   smeared region is reconstructed as well as a normal one, so no reconstruction error sees it;
/// - colour (3 channels): ln(G₂ ∗ (ΔCb² + ΔCr²)), the chroma error, which sees a change of hue
///   that keeps the brightness;
/// - colour prior (3 channels, when the rule has the training images' colour counts):
///   ln(G₁ ∗ 1/(d + 10⁻⁷)), d the density of normal colours at the pixel's colour (`ColourPrior`).
///
/// The maximum lets one term flag a pixel on its own (a sum dilutes it with the others); the
/// image score is the mean of the map's top 1%, a local defect's own level. The terms and
/// their settings were chosen on validation images (reports/quality.md).
final class ZMapMaker {
    static let floor: Float = 1e-6
    let height: Int, width: Int, channels: Int
    private let blur1, blur2, blur15: SeparableBlur
    private let blurInput: SeparableBlur
    private let scratch: UnsafeMutablePointer<Float>
    private let raw: UnsafeMutablePointer<Float>
    private let prior: ColourPrior?

    let termCount: Int
    var pixels: Int { height * width }

    /// `colourCounts`: the rule's (`ScoringRule.colourCounts`); the colour prior is a term when
    /// they are given and the images have 3 channels.
    init(height: Int, width: Int, channels: Int, colourCounts: [Int] = []) {
        self.height = height; self.width = width; self.channels = channels
        prior = channels == 3 && !colourCounts.isEmpty ? ColourPrior(counts: colourCounts) : nil
        termCount = channels == 3 ? (prior == nil ? 3 : 4) : 2
        blur1 = SeparableBlur(sigma: 1, height: height, width: width, channels: 1, reflect: true)
        blur2 = SeparableBlur(sigma: 2, height: height, width: width, channels: 1, reflect: true)
        blur15 = SeparableBlur(sigma: 1.5, height: height, width: width, channels: 1, reflect: true)
        blurInput = SeparableBlur(sigma: 0.7, height: height, width: width, channels: channels, reflect: true)
        scratch = .allocate(capacity: 2 * height * width * channels)
        raw = .allocate(capacity: termCount * height * width)
    }

    deinit { scratch.deallocate(); raw.deallocate() }

    /// The raw (not standardised) terms, `termCount` maps of height × width back to back.
    func terms(_ x: UnsafePointer<Float>, _ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let p = pixels, energy = scratch, smooth = scratch + p * channels
        for i in 0..<p {
            var e: Float = 0
            for c in 0..<channels { let d = x[i * channels + c] - r[i * channels + c]; e += d * d }
            energy[i] = e
        }
        logOfBlurred(energy, blur1, sign: 1, into: out)
        blurInput.blur(x, into: smooth)
        for i in 0..<p {
            var e: Float = 0
            for c in 0..<channels { let d = x[i * channels + c] - smooth[i * channels + c]; e += d * d }
            energy[i] = e
        }
        logOfBlurred(energy, blur15, sign: -1, into: out + p)
        guard channels == 3 else { return }
        for i in 0..<p {
            let (cb, cr) = Self.chroma(x + 3 * i), (cb2, cr2) = Self.chroma(r + 3 * i)
            energy[i] = (cb - cb2) * (cb - cb2) + (cr - cr2) * (cr - cr2)
        }
        logOfBlurred(energy, blur2, sign: 1, into: out + 2 * p)
        guard let prior else { return }
        prior.rarity.withUnsafeBufferPointer { rarity in
            for i in 0..<p { energy[i] = rarity[ColourPrior.bin(x + 3 * i)] }
        }
        logOfBlurred(energy, blur1, sign: 1, into: out + 3 * p)
    }

    /// The map: the pixelwise maximum of the standardised terms (`statistics`: mean, std per term).
    func map(_ x: UnsafePointer<Float>, _ r: UnsafePointer<Float>, statistics: [Double], into out: UnsafeMutablePointer<Float>) {
        precondition(statistics.count == 2 * termCount, "zmap needs the statistics of its \(termCount) terms")
        let p = pixels
        terms(x, r, into: raw)
        out.update(repeating: -.infinity, count: p)
        for t in 0..<termCount {
            let mean = Float(statistics[2 * t]), scale = 1 / Float(max(statistics[2 * t + 1], 1e-12))
            let term = raw + t * p
            for i in 0..<p { out[i] = max(out[i], (term[i] - mean) * scale) }
        }
    }

    /// Mean of the largest 1% of a map's values (at least one).
    static func topPercentMean(_ map: UnsafePointer<Float>, count: Int) -> Double {
        let k = max(1, Int((0.01 * Double(count)).rounded()))
        var values = Array(UnsafeBufferPointer(start: map, count: count))
        let top = largest(k, of: &values)
        return top.reduce(0.0) { $0 + Double($1) } / Double(k)
    }

    /// The k largest values (in no order), by quickselect: a full sort of a large map took
    /// longer than the rest of its score. The pivot is the middle element, so it is repeatable.
    static func largest(_ k: Int, of values: inout [Float]) -> ArraySlice<Float> {
        var lo = 0, hi = values.count  // the k-th largest is within values[lo..<hi]
        let target = k - 1
        while hi - lo > 1 {
            let pivot = values[(lo + hi) / 2]
            // Three-way partition of values[lo..<hi]: greater, equal, smaller.
            var gt = lo, i = lo, lt = hi
            while i < lt {
                if values[i] > pivot { values.swapAt(i, gt); gt += 1; i += 1 } else if values[i] < pivot { lt -= 1; values.swapAt(i, lt) } else { i += 1 }
            }
            if target < gt { hi = gt } else if target < lt { return values[0..<k] } else { lo = lt }
        }
        return values[0..<k]
    }

    /// sign · ln(max(G ∗ e, 0) + floor), eight pixels at a time (`VectorMath.log`).
    private func logOfBlurred(_ e: UnsafePointer<Float>, _ blur: SeparableBlur, sign: Float, into out: UnsafeMutablePointer<Float>) {
        blur.blur(e, into: out)
        VectorMath.apply(out, pixels) { v in sign * VectorMath.log(v.replacing(with: 0, where: v .< 0) + Self.floor) }
    }

    /// Cb and Cr (scaled colour differences from Rec. 601 luma) of one RGB pixel.
    private static func chroma(_ p: UnsafePointer<Float>) -> (Float, Float) {
        let y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]
        return (0.564 * (p[2] - y), 0.713 * (p[0] - y))
    }
}

/// How each zmap term is standardised: the mean and standard deviation, over normal images, of
/// the term's own image score (the mean of its top 1%, as `topPercentMean` scores the map). A
/// term's upper tail on normal images is what decides the false alarms it adds to the maximum;
/// standardising by the whole pixel distribution let a heavy-tailed term (the error on a
/// crinkled or granular texture) drown another's signal (blur on cork and plaster).
struct ZMapStatistics {
    private var sum: [Double], squares: [Double], count = 0

    init(terms: Int) { sum = Array(repeating: 0, count: terms); squares = sum }

    mutating func add(_ maker: ZMapMaker, _ x: UnsafePointer<Float>, _ r: UnsafePointer<Float>) {
        let p = maker.pixels
        let raw = UnsafeMutablePointer<Float>.allocate(capacity: maker.termCount * p)
        defer { raw.deallocate() }
        maker.terms(x, r, into: raw)
        for t in 0..<maker.termCount {
            let v = ZMapMaker.topPercentMean(raw + t * p, count: p)
            sum[t] += v; squares[t] += v * v
        }
        count += 1
    }

    /// mean, std per term, as the rule stores them.
    var values: [Double] {
        zip(sum, squares).flatMap { s, q -> [Double] in
            let mean = s / Double(count)
            return [mean, max(q / Double(count) - mean * mean, 0).squareRoot()]
        }
    }
}
