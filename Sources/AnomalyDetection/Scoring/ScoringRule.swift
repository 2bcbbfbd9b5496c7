import Foundation

/// How a sample and its reconstruction become the anomaly score that is calibrated and
/// thresholded. Stored in the model file, so every command scores the way the fit calibrated.
///
/// `pixelMSE` is the chapter's score. `smoothedMSE(σ, p, g)` blurs the residual x − x̂ with a
/// Gaussian of σ pixels (per channel, zero beyond the border) before taking its mean square:
/// a normal sample's residual is mostly small misplacements of strokes, whose positive and
/// negative parts cancel under the blur, while a missing or extra stroke does not cancel.
/// It then divides by the sample's mean square value ("ink") to the power p and by its mean
/// squared difference between neighbouring pixels ("detail") to the power g: without them, a
/// sample with little ink (a thin 1 under a model of 8s) or little detail (a plain sneaker
/// under a model of strappy sandals) has a small error whatever its shape, because there is
/// little in it to get wrong.
///
/// Two more terms can be mixed in: `+ssim:w[:σ]`, one minus the structural similarity of the
/// sample and its reconstruction (`StructuralDissimilarity`), and `+latent:w`, the Mahalanobis
/// distance of the sample's code under a Gaussian fitted to the training codes
/// (`LatentGaussian`). A rule with either is combined by `ScoreMix`.
public struct ScoringRule: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        case pixelMSE = "pixel_mse"
        case smoothedMSE = "smoothed_mse"
        case mapMax = "map_max"
        case zmap
    }

    public let kind: Kind
    /// Gaussian σ in pixels (smoothedMSE only; 0 otherwise).
    public let sigma: Double
    /// Exponent p of the ink normalisation (smoothedMSE only; 0 = none).
    public let inkPower: Double
    /// Exponent g of the detail normalisation (smoothedMSE only; 0 = none).
    public let detailPower: Double
    /// Weight of the structural-dissimilarity term (0 = none) and its window's σ in pixels.
    public let structureWeight: Double
    public let structureSigma: Double
    /// Weight of the latent-distance term (0 = reconstruction only).
    public let latentWeight: Double
    /// `zmap` only: the mean and standard deviation of each of its terms' top 1% over normal
    /// images (`ZMapStatistics`), fitted after training; empty before.
    public let statistics: [Double]
    /// `zmap` on colour images: the colour counts of the training images (`ColourPrior`), as
    /// (bin, count) pairs of the non-empty bins; empty for a rule without the colour prior.
    public let colourCounts: [Int]

    public static let pixelMSE = ScoringRule(kind: .pixelMSE, sigma: 0, inkPower: 0)

    /// The largest value of the error map (squared residual, averaged over channels) after a
    /// Gaussian blur of σ pixels: a local defect in a large image shows in its own
    /// neighbourhood, where an image-wide mean would dilute it.
    public static func mapMax(sigma: Double, structureWeight: Double = 0, structureSigma: Double = defaultStructureSigma) -> ScoringRule {
        ScoringRule(kind: .mapMax, sigma: sigma, inkPower: 0, structureWeight: structureWeight, structureSigma: structureSigma)
    }

    /// The SSIM window of `+ssim:w` when no σ is given: Wang et al.'s 1.5 pixels.
    public static let defaultStructureSigma = 1.5

    public static func smoothedMSE(sigma: Double, inkPower: Double = 0, detailPower: Double = 0,
                                   structureWeight: Double = 0, structureSigma: Double = defaultStructureSigma,
                                   latentWeight: Double = 0) -> ScoringRule {
        ScoringRule(kind: .smoothedMSE, sigma: sigma, inkPower: inkPower, detailPower: detailPower,
                    structureWeight: structureWeight, structureSigma: structureSigma, latentWeight: latentWeight)
    }

    /// The texture map of `ZMap`: reconstruction error, colour error and lost sharpness, each
    /// standardised over normal images, their pixelwise maximum, scored by its top 1%.
    public static let zmap = ScoringRule(kind: .zmap, sigma: 0, inkPower: 0)

    /// This rule with fitted term statistics (`zmap`).
    public func with(statistics: [Double]) -> ScoringRule {
        ScoringRule(kind: kind, sigma: sigma, inkPower: inkPower, detailPower: detailPower, structureWeight: structureWeight,
                    structureSigma: structureSigma, latentWeight: latentWeight, statistics: statistics, colourCounts: colourCounts)
    }

    /// This rule with the training images' colour counts (`zmap` on colour images).
    public func with(colourCounts: [Int]) -> ScoringRule {
        ScoringRule(kind: kind, sigma: sigma, inkPower: inkPower, detailPower: detailPower, structureWeight: structureWeight,
                    structureSigma: structureSigma, latentWeight: latentWeight, statistics: statistics, colourCounts: colourCounts)
    }

    private init(kind: Kind, sigma: Double, inkPower: Double, detailPower: Double = 0,
                 structureWeight: Double = 0, structureSigma: Double = defaultStructureSigma, latentWeight: Double = 0, statistics: [Double] = [],
                 colourCounts: [Int] = []) {
        self.kind = kind; self.sigma = sigma; self.inkPower = inkPower; self.detailPower = detailPower
        self.structureWeight = structureWeight
        self.structureSigma = structureWeight == 0 ? 0 : structureSigma
        self.latentWeight = latentWeight
        self.statistics = statistics
        self.colourCounts = colourCounts
    }

    /// This rule without its latent term.
    public var withoutLatent: ScoringRule {
        ScoringRule(kind: kind, sigma: sigma, inkPower: inkPower, detailPower: detailPower,
                    structureWeight: structureWeight, structureSigma: structureSigma)
    }

    /// The reconstruction term alone.
    public var reconstructionOnly: ScoringRule { ScoringRule(kind: kind, sigma: sigma, inkPower: inkPower, detailPower: detailPower) }

    /// True when the score mixes more than the reconstruction term (see `ScoreMix`).
    public var isMixed: Bool { structureWeight > 0 || latentWeight > 0 }

    enum CodingKeys: String, CodingKey {
        case kind, sigma, inkPower = "ink_power", detailPower = "detail_power", structureWeight = "structure_weight",
             structureSigma = "structure_sigma", latentWeight = "latent_weight", statistics,
             colourCounts = "colour_counts"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let counts = try c.decodeIfPresent([Int].self, forKey: .colourCounts) ?? []
        guard counts.count % 2 == 0, stride(from: 0, to: counts.count, by: 2).allSatisfy({
            (0..<ColourPrior.bins).contains(counts[$0]) && counts[$0 + 1] >= 0
        }) else {
            throw DecodingError.dataCorruptedError(forKey: .colourCounts, in: c, debugDescription: "colour counts must be (bin, count) pairs of bins 0..<\(ColourPrior.bins)")
        }
        self.init(kind: try c.decode(Kind.self, forKey: .kind),
                  sigma: try c.decodeIfPresent(Double.self, forKey: .sigma) ?? 0,
                  inkPower: try c.decodeIfPresent(Double.self, forKey: .inkPower) ?? 0,
                  detailPower: try c.decodeIfPresent(Double.self, forKey: .detailPower) ?? 0,
                  structureWeight: try c.decodeIfPresent(Double.self, forKey: .structureWeight) ?? 0,
                  structureSigma: try c.decodeIfPresent(Double.self, forKey: .structureSigma) ?? Self.defaultStructureSigma,
                  latentWeight: try c.decodeIfPresent(Double.self, forKey: .latentWeight) ?? 0,
                  statistics: try c.decodeIfPresent([Double].self, forKey: .statistics) ?? [],
                  colourCounts: counts)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(sigma, forKey: .sigma)
        try c.encode(inkPower, forKey: .inkPower)
        // Written only when used, so files of rules without them read as before.
        if detailPower != 0 { try c.encode(detailPower, forKey: .detailPower) }
        if structureWeight != 0 {
            try c.encode(structureWeight, forKey: .structureWeight)
            try c.encode(structureSigma, forKey: .structureSigma)
        }
        if latentWeight != 0 { try c.encode(latentWeight, forKey: .latentWeight) }
        if !statistics.isEmpty { try c.encode(statistics, forKey: .statistics) }
        if !colourCounts.isEmpty { try c.encode(colourCounts, forKey: .colourCounts) }
    }

    /// Smallest ink or detail divided by, so an empty or flat sample scores high but finite.
    static let energyFloor = 1e-4

    /// `pixel_mse` or `smoothed_mse:σ[:p[:g]]`, followed by any of `+ssim:w[:σ]` and `+latent:w`.
    public init(parsing text: String) throws {
        let terms = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        let base = try ScoringRule(parsingReconstruction: terms[0])
        var structure = (weight: 0.0, sigma: Self.defaultStructureSigma), latent = 0.0
        var seen: Set<String> = []
        for term in terms.dropFirst() {
            let parts = term.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard seen.insert(parts[0]).inserted else {
                throw DetectorError.input("scoring rule \"\(text)\": at most one \"+\(parts[0])\" term")
            }
            switch (parts[0], parts.count) {
            case ("latent", 2):
                latent = try Self.weight(parts[1], term, text)
            case ("ssim", 2), ("ssim", 3):
                structure.weight = try Self.weight(parts[1], term, text)
                if parts.count == 3 {
                    guard let v = Double(parts[2]), v > 0, v <= 10 else {
                        throw DetectorError.input("scoring rule \"\(text)\": ssim:w:σ needs the window σ in (0, 10] pixels (got \(parts[2]))")
                    }
                    structure.sigma = v
                }
            default:
                throw DetectorError.input("scoring rule \"\(text)\": unknown term \"\(term)\" (use +ssim:w[:σ] or +latent:w)")
            }
        }
        self.init(kind: base.kind, sigma: base.sigma, inkPower: base.inkPower, detailPower: base.detailPower,
                  structureWeight: structure.weight, structureSigma: structure.sigma, latentWeight: latent)
    }

    private static func weight(_ value: String, _ term: String, _ text: String) throws -> Double {
        guard let w = Double(value), w > 0, w <= 10 else {
            throw DetectorError.input("scoring rule \"\(text)\": the weight of \"\(term)\" must be in (0, 10]")
        }
        return w
    }

    private init(parsingReconstruction text: String) throws {
        let parts = text.split(separator: ":").map(String.init)
        switch (parts.first, parts.count) {
        case ("pixel_mse", 1): self = .pixelMSE
        case ("zmap", 1): self = .zmap
        case ("map_max", 2):
            guard let s = Double(parts[1]), s > 0, s <= 10 else {
                throw DetectorError.input("map_max:σ needs σ in (0, 10] pixels (got \(parts[1]))")
            }
            self = .mapMax(sigma: s)
        case ("smoothed_mse", 2...4):
            guard let s = Double(parts[1]), s > 0, s <= 10 else {
                throw DetectorError.input("smoothed_mse:σ needs σ in (0, 10] pixels (got \(parts[1]))")
            }
            let p = parts.count >= 3 ? Double(parts[2]) : 0
            guard let p, p >= 0, p <= 2 else {
                throw DetectorError.input("smoothed_mse:σ:p needs the ink exponent p in [0, 2] (got \(parts[2]))")
            }
            let g = parts.count == 4 ? Double(parts[3]) : 0
            guard let g, g >= 0, g <= 2 else {
                throw DetectorError.input("smoothed_mse:σ:p:g needs the detail exponent g in [0, 2] (got \(parts[3]))")
            }
            self = .smoothedMSE(sigma: s, inkPower: p, detailPower: g)
        default:
            throw DetectorError.input("unknown scoring rule \"\(text)\" (use pixel_mse, smoothed_mse:σ[:p[:g]], map_max:σ or zmap, then +ssim:w[:σ] or +latent:w)")
        }
    }

    public var description: String {
        var text = "pixel_mse"
        if kind == .mapMax { text = "map_max:" + Self.number(sigma) }
        if kind == .zmap { text = "zmap" }
        if kind == .smoothedMSE {
            text = "smoothed_mse:" + Self.number(sigma)
            if inkPower != 0 || detailPower != 0 { text += ":" + Self.number(inkPower) }
            if detailPower != 0 { text += ":" + Self.number(detailPower) }
        }
        if structureWeight != 0 { text += "+ssim:" + Self.number(structureWeight) + ":" + Self.number(structureSigma) }
        if latentWeight != 0 { text += "+latent:" + Self.number(latentWeight) }
        return text
    }

    private static func number(_ x: Double) -> String { String(format: "%g", x) }

    /// `smoothed_mse:1:0.25:1+ssim:1:1+latent:0.3`, chosen on validation splits of the training data.
    public static let detectorDefault = ScoringRule.smoothedMSE(sigma: 1, inkPower: 0.25, detailPower: 1, structureWeight: 1,
                                                                structureSigma: 1, latentWeight: 0.3)

    /// The rule a named architecture was designed with: the `detector` preset's settings were
    /// chosen together with its rule (see reports/quality.md); everything else, pixel MSE.
    public static func recommended(forArchitecture name: String) -> ScoringRule {
        name == "detector" ? detectorDefault : .pixelMSE
    }
}
