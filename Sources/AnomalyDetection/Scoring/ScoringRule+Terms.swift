import Foundation
import NeuralNet

/// The per-sample values of a rule's image terms, from samples and their reconstructions
/// (row-major, channels last).
extension ScoringRule {
    /// The reconstruction term of `count` samples of height × width × channels values.
    public func scores(inputs: UnsafePointer<Float>, reconstructions: UnsafePointer<Float>, count: Int,
                       height: Int, width: Int, channels: Int, parallelism: Parallelism = .serial) -> [Double] {
        let item = height * width * channels
        switch kind {
        case .pixelMSE:
            return (0..<count).map { s in Self.meanSquare(inputs + s * item, minus: reconstructions + s * item, count: item) }
        case .smoothedMSE:
            return Self.perSample(count, floats: item, parallelism) { range, out in
                let blur = SeparableBlur(sigma: sigma, height: height, width: width, channels: channels)
                let residual = UnsafeMutablePointer<Float>.allocate(capacity: item)
                defer { residual.deallocate() }
                for s in range {
                    let a = inputs + s * item, b = reconstructions + s * item
                    for i in 0..<item { residual[i] = a[i] - b[i] }
                    out[s] = blur.meanSquareOfBlurred(residual) / normaliser(a, height: height, width: width, channels: channels)
                }
            }
        case .mapMax, .zmap:
            return Self.perSample(count, floats: item, parallelism) { range, out in
                let map = UnsafeMutablePointer<Float>.allocate(capacity: height * width)
                defer { map.deallocate() }
                let maker = AnomalyMapMaker(rule: self, height: height, width: width, channels: channels)
                for s in range {
                    maker.map(inputs + s * item, reconstructions + s * item, into: map)
                    if kind == .zmap { out[s] = ZMapMaker.topPercentMean(map, count: height * width); continue }
                    var top: Float = 0
                    for p in 0..<(height * width) { top = max(top, map[p]) }
                    out[s] = Double(top)
                }
            }
        }
    }

    /// The structural term (mean 1 − SSIM) of `count` samples; empty when the rule has none.
    public func structureScores(inputs: UnsafePointer<Float>, reconstructions: UnsafePointer<Float>, count: Int,
                                height: Int, width: Int, channels: Int, parallelism: Parallelism = .serial) -> [Double] {
        guard structureWeight > 0 else { return [] }
        let item = height * width * channels
        return Self.perSample(count, floats: item, parallelism) { range, out in
            let ssim = StructuralDissimilarity(sigma: structureSigma, height: height, width: width, channels: channels)
            for s in range { out[s] = ssim.mean(inputs + s * item, reconstructions + s * item) }
        }
    }

    /// One value per sample, the samples split between the threads when there is enough work:
    /// 64 digits' worth of `floats` per sample, or a few large images (each range makes its own
    /// scratch buffers in `body`).
    static func perSample(_ count: Int, floats: Int, _ parallelism: Parallelism,
                          _ body: (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialised in
            let out = buffer.baseAddress!
            parallelism.split(count, work: count * floats, minimum: 64 * 28 * 28) { range, _ in body(range, out) }
            initialised = count
        }
    }

    /// ink^p · detail^g of one sample, each floored (1 when both exponents are 0).
    func normaliser(_ x: UnsafePointer<Float>, height: Int, width: Int, channels: Int) -> Double {
        var n = 1.0
        if inkPower != 0 { n *= pow(max(Self.ink(x, count: height * width * channels), Self.energyFloor), inkPower) }
        if detailPower != 0 {
            n *= pow(max(Self.detail(x, height: height, width: width, channels: channels), Self.energyFloor), detailPower)
        }
        return n
    }

    /// Mean square value of a sample.
    static func ink(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var sum: Float = 0
        for i in 0..<count { sum += x[i] * x[i] }
        return Double(sum) / Double(count)
    }

    /// Sum of squared differences between horizontal and vertical neighbours (per channel),
    /// divided by the number of values: how much edge a sample has.
    static func detail(_ x: UnsafePointer<Float>, height: Int, width: Int, channels: Int) -> Double {
        var sum: Float = 0
        let row = width * channels
        for y in 0..<height {
            let line = x + y * row
            for i in 0..<(row - channels) { let d = line[i + channels] - line[i]; sum += d * d }
            if y + 1 < height { for i in 0..<row { let d = line[i + row] - line[i]; sum += d * d } }
        }
        return Double(sum) / Double(height * row)
    }

    static func meanSquare(_ a: UnsafePointer<Float>, minus b: UnsafePointer<Float>, count: Int) -> Double {
        // Eight partial sums: one chain of dependent adds over a 256×256 colour image took longer
        // than its stitching.
        var partial = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let d = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self) - UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            partial += d * d
            i += 8
        }
        var sum = partial.sum()
        for j in i..<count { let d = a[j] - b[j]; sum += d * d }
        return Double(sum) / Double(count)
    }
}
