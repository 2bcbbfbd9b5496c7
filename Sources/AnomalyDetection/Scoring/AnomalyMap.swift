/// The per-pixel anomaly map behind a rule's reconstruction term (height × width values):
/// the squared residual averaged over channels, after the rule's blur. For `pixel_mse` the
/// score is the map's mean, for `smoothed_mse` its mean divided by the rule's normaliser (the
/// map is drawn before that division, which is one number per image), for `map_max` its
/// maximum, for `zmap` the mean of its top 1% (`ZMapMaker`). Makers own scratch buffers: one per thread.
final class AnomalyMapMaker {
    let rule: ScoringRule
    let height: Int, width: Int, channels: Int
    private let blur: SeparableBlur?
    private let zmap: ZMapMaker?
    private let scratch: UnsafeMutablePointer<Float>

    init(rule: ScoringRule, height: Int, width: Int, channels: Int) {
        self.rule = rule; self.height = height; self.width = width; self.channels = channels
        zmap = rule.kind == .zmap ? ZMapMaker(height: height, width: width, channels: channels, colourCounts: rule.colourCounts) : nil
        switch rule.kind {
        case .pixelMSE, .zmap: blur = nil
        case .smoothedMSE: blur = SeparableBlur(sigma: rule.sigma, height: height, width: width, channels: channels)
        case .mapMax: blur = SeparableBlur(sigma: rule.sigma, height: height, width: width, channels: 1)
        }
        scratch = .allocate(capacity: 2 * height * width * channels)
    }

    deinit { scratch.deallocate() }

    func map(_ input: UnsafePointer<Float>, _ reconstruction: UnsafePointer<Float>, into map: UnsafeMutablePointer<Float>) {
        let pixels = height * width, n = pixels * channels
        let residual = scratch, blurred = scratch + n
        if rule.kind != .zmap { for i in 0..<n { residual[i] = input[i] - reconstruction[i] } }
        switch rule.kind {
        case .zmap: zmap!.map(input, reconstruction, statistics: rule.statistics, into: map)
        case .pixelMSE: channelMeanOfSquares(residual, into: map)
        case .smoothedMSE:
            blur!.blur(residual, into: blurred)
            channelMeanOfSquares(blurred, into: map)
        case .mapMax:
            channelMeanOfSquares(residual, into: blurred)
            blur!.blur(blurred, into: map)
        }
    }

    private func channelMeanOfSquares(_ r: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(channels)
        for p in 0..<(height * width) {
            var sum: Float = 0
            for c in 0..<channels { let v = r[p * channels + c]; sum += v * v }
            out[p] = sum * scale
        }
    }
}

extension Detector {
    /// The anomaly maps (height × width each) of `count` images stored back to back.
    public func anomalyMaps(_ images: UnsafePointer<Float>, count: Int) -> [Float] {
        let p = preprocessing, pixels = p.height * p.width
        var recon = [Float](repeating: 0, count: count * p.imageSize)
        recon.withUnsafeMutableBufferPointer { _ = errors(images, count: count, reconstructions: $0.baseAddress!) }
        var maps = [Float](repeating: 0, count: count * pixels)
        let maker = AnomalyMapMaker(rule: scoring, height: p.height, width: p.width, channels: p.channels)
        recon.withUnsafeBufferPointer { r in maps.withUnsafeMutableBufferPointer { m in
            for i in 0..<count {
                maker.map(images + i * p.imageSize, r.baseAddress! + i * p.imageSize, into: m.baseAddress! + i * pixels)
            }
        } }
        return maps
    }
}
