import Foundation

/// How a sample and its reconstruction become the anomaly score that is calibrated and
/// thresholded. Stored in the model file, so every command scores the way the fit calibrated.
///
/// `pixelMSE` is the chapter's score. `smoothedMSE(σ, p)` blurs the residual x − x̂ with a
/// Gaussian of σ pixels (per channel, zero beyond the border) before taking its mean square:
/// a normal sample's residual is mostly small misplacements of strokes, whose positive and
/// negative parts cancel under the blur, while a missing or extra stroke does not cancel.
/// It then divides by the sample's mean square value ("ink") to the power p: without that, a
/// sample with little ink (a thin 1 under a model of 8s) has a small error whatever its shape.
///
/// A `+latent:w` suffix mixes in the Mahalanobis distance of the sample's code under a
/// Gaussian fitted to the training codes, with weight w (see `LatentGaussian`).
public struct ScoringRule: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        case pixelMSE = "pixel_mse"
        case smoothedMSE = "smoothed_mse"
    }

    public let kind: Kind
    /// Gaussian σ in pixels (smoothedMSE only; 0 otherwise).
    public let sigma: Double
    /// Exponent p of the ink normalisation (smoothedMSE only; 0 = none).
    public let inkPower: Double
    /// Weight of the latent-distance term (0 = reconstruction only).
    public let latentWeight: Double

    public static let pixelMSE = ScoringRule(kind: .pixelMSE, sigma: 0, inkPower: 0)

    public static func smoothedMSE(sigma: Double, inkPower: Double = 0, latentWeight: Double = 0) -> ScoringRule {
        ScoringRule(kind: .smoothedMSE, sigma: sigma, inkPower: inkPower, latentWeight: latentWeight)
    }

    private init(kind: Kind, sigma: Double, inkPower: Double, latentWeight: Double = 0) {
        self.kind = kind; self.sigma = sigma; self.inkPower = inkPower; self.latentWeight = latentWeight
    }

    /// This rule without its latent term: the reconstruction part alone.
    public var reconstructionOnly: ScoringRule { ScoringRule(kind: kind, sigma: sigma, inkPower: inkPower) }

    enum CodingKeys: String, CodingKey { case kind, sigma, inkPower = "ink_power", latentWeight = "latent_weight" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        sigma = try c.decodeIfPresent(Double.self, forKey: .sigma) ?? 0
        inkPower = try c.decodeIfPresent(Double.self, forKey: .inkPower) ?? 0
        latentWeight = try c.decodeIfPresent(Double.self, forKey: .latentWeight) ?? 0
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(sigma, forKey: .sigma)
        try c.encode(inkPower, forKey: .inkPower)
        // Written only when used, so files of rules without it read as before.
        if latentWeight != 0 { try c.encode(latentWeight, forKey: .latentWeight) }
    }

    /// Smallest mean square value divided by, so an empty (all-zero) sample scores high but finite.
    static let inkFloor = 1e-4

    /// `pixel_mse` or `smoothed_mse:σ[:p]`, either optionally followed by `+latent:w`.
    public init(parsing text: String) throws {
        let terms = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        guard terms.count <= 2 else { throw DetectorError.input("scoring rule \"\(text)\": at most one \"+latent:w\" term") }
        let base = try ScoringRule(parsingReconstruction: terms[0])
        guard terms.count == 2 else { self = base; return }
        let latent = terms[1].split(separator: ":").map(String.init)
        guard latent.count == 2, latent[0] == "latent", let w = Double(latent[1]), w > 0, w <= 10 else {
            throw DetectorError.input("scoring rule \"\(text)\": the second term must be latent:w with w in (0, 10]")
        }
        self.init(kind: base.kind, sigma: base.sigma, inkPower: base.inkPower, latentWeight: w)
    }

    private init(parsingReconstruction text: String) throws {
        let parts = text.split(separator: ":").map(String.init)
        switch (parts.first, parts.count) {
        case ("pixel_mse", 1): self = .pixelMSE
        case ("smoothed_mse", 2), ("smoothed_mse", 3):
            guard let s = Double(parts[1]), s > 0, s <= 10 else {
                throw DetectorError.input("smoothed_mse:σ needs σ in (0, 10] pixels (got \(parts[1]))")
            }
            let p = parts.count == 3 ? Double(parts[2]) : 0
            guard let p, p >= 0, p <= 2 else {
                throw DetectorError.input("smoothed_mse:σ:p needs the ink exponent p in [0, 2] (got \(parts[2]))")
            }
            self = .smoothedMSE(sigma: s, inkPower: p)
        default:
            throw DetectorError.input("unknown scoring rule \"\(text)\" (use pixel_mse or smoothed_mse:σ[:p])")
        }
    }

    public var description: String {
        let latent = latentWeight == 0 ? "" : "+latent:" + String(format: "%g", latentWeight)
        guard kind == .smoothedMSE else { return "pixel_mse" + latent }
        return "smoothed_mse:" + String(format: "%g", sigma) + (inkPower == 0 ? "" : ":" + String(format: "%g", inkPower)) + latent
    }

    /// The rule a named architecture was designed with: the `detector` preset's settings were
    /// chosen together with smoothed_mse:1:0.75+latent:0.3 (see reports/quality.md); everything
    /// else, pixel MSE.
    public static func recommended(forArchitecture name: String) -> ScoringRule {
        name == "detector" ? .smoothedMSE(sigma: 1, inkPower: 0.75, latentWeight: 0.3) : .pixelMSE
    }

    /// Scores of `count` samples of height × width × channels values (row-major, channels last).
    public func scores(inputs: UnsafePointer<Float>, reconstructions: UnsafePointer<Float>, count: Int,
                       height: Int, width: Int, channels: Int) -> [Double] {
        let item = height * width * channels
        switch kind {
        case .pixelMSE:
            return (0..<count).map { s in Self.meanSquare(inputs + s * item, minus: reconstructions + s * item, count: item) }
        case .smoothedMSE:
            let blur = SeparableBlur(sigma: sigma, height: height, width: width, channels: channels)
            let residual = UnsafeMutablePointer<Float>.allocate(capacity: item)
            defer { residual.deallocate() }
            return (0..<count).map { s in
                let a = inputs + s * item, b = reconstructions + s * item
                var ink: Float = 0
                for i in 0..<item { residual[i] = a[i] - b[i]; ink += a[i] * a[i] }
                let normaliser = inkPower == 0 ? 1 : pow(max(Double(ink) / Double(item), Self.inkFloor), inkPower)
                return blur.meanSquareOfBlurred(residual) / normaliser
            }
        }
    }

    static func meanSquare(_ a: UnsafePointer<Float>, minus b: UnsafePointer<Float>, count: Int) -> Double {
        var sum: Float = 0
        for i in 0..<count { let d = a[i] - b[i]; sum += d * d }
        return Double(sum) / Double(count)
    }
}
