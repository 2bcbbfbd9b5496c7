import Foundation

/// The tail model behind `evt:q`: exceedances of the top `tailFraction` of the scores over the
/// level u below them, fitted with a generalised Pareto distribution.
public struct PeaksOverThreshold: Codable, Equatable, Sendable {
    /// The share of the scores treated as the tail. 10% is the usual compromise between bias
    /// (a low u puts non-tail scores into the fit) and variance (few exceedances).
    public static let tailFraction = 0.1
    /// Fewer exceedances than this give a shape estimate too noisy to extrapolate with.
    public static let minimumExceedances = 10

    /// The level u: the (n − ⌊0.1·n⌋)-th smallest score.
    public let level: Double
    /// N_u: the number of scores strictly above u.
    public let exceedances: Int
    /// n: all scores.
    public let total: Int
    public let tail: GeneralizedPareto

    /// - Parameter sorted: ascending scores.
    public init(sorted: [Double]) throws {
        let n = sorted.count
        let tailCount = Int(Double(n) * PeaksOverThreshold.tailFraction)
        guard tailCount >= PeaksOverThreshold.minimumExceedances else {
            let needed = Int((Double(PeaksOverThreshold.minimumExceedances) / PeaksOverThreshold.tailFraction).rounded(.up))
            throw CalibrationError("evt needs at least \(needed) calibration scores, got \(n)")
        }
        let u = sorted[n - tailCount - 1]
        let excess = sorted[(n - tailCount)...].filter { $0 > u }.map { $0 - u }
        guard excess.count >= PeaksOverThreshold.minimumExceedances else {
            throw CalibrationError("evt: only \(excess.count) scores lie above the tail level \(u) (too many ties)")
        }
        level = u
        exceedances = excess.count
        total = n
        tail = GeneralizedPareto.fit(exceedances: excess)
    }

    /// The score exceeded with probability 1 − q:
    /// u + σ/ξ·(((n/N_u)(1 − q))^(−ξ) − 1), or u − σ·log((n/N_u)(1 − q)) when ξ → 0.
    public func quantile(_ q: Double) -> Double {
        level + tail.exceedanceQuantile(tailProbability: Double(total) / Double(exceedances) * (1 - q))
    }
}
