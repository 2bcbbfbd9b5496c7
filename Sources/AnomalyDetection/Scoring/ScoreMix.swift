import Foundation

/// How the terms of a rule with more than one (`ScoringRule.isMixed`) become one score.
///
/// The reconstruction error, the structural dissimilarity and the code distance are on
/// unrelated scales, so each is standardised in log space with the mean and standard deviation
/// it has on the training part (never on the calibration slice, which must stay exchangeable
/// with new samples): score = exp(z(log r) + w_s · z(log s) + w_l · z(log d²)). The exp keeps
/// scores positive and monotone in the sum, so thresholds, p-values and log-scale charts work
/// unchanged.
public struct ScoreMix: Codable, Equatable, Sendable {
    public let reconstruction: LogMoments
    /// Present when the rule has the term.
    public let structure: LogMoments?
    public let distance: LogMoments?

    public init(reconstruction: LogMoments, structure: LogMoments?, distance: LogMoments?) {
        self.reconstruction = reconstruction; self.structure = structure; self.distance = distance
    }

    /// Fitted to the training part's term values (`structure` and `distances` empty when unused).
    public init(reconstruction: [Double], structure: [Double], distances: [Double]) {
        self.init(reconstruction: LogMoments(reconstruction),
                  structure: structure.isEmpty ? nil : LogMoments(structure),
                  distance: distances.isEmpty ? nil : LogMoments(distances))
    }

    /// True when it has moments for exactly the terms `rule` uses.
    public func fits(_ rule: ScoringRule) -> Bool {
        (structure != nil) == (rule.structureWeight > 0) && (distance != nil) == (rule.latentWeight > 0)
    }

    /// The combined score of one sample under `rule` (which this mix `fits`); `structure` and
    /// `distance` are ignored when the rule has no such term.
    public func score(reconstruction r: Double, structure s: Double, distance d: Double, rule: ScoringRule) -> Double {
        var sum = reconstruction.z(r)
        if let structure { sum += rule.structureWeight * structure.z(s) }
        if let distance { sum += rule.latentWeight * distance.z(d) }
        return exp(min(sum, 700))
    }
}

extension ScoreMix {
    /// The moments a model file of the second and third sessions kept inside its latent
    /// Gaussian, before structure terms existed.
    struct Legacy: Decodable {
        let reconstructionLog: LogMoments
        let distanceLog: LogMoments
    }

    init(legacy: Legacy) {
        self.init(reconstruction: legacy.reconstructionLog, structure: nil, distance: legacy.distanceLog)
    }
}
