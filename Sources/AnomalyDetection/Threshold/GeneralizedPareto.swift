import Foundation

/// The generalised Pareto distribution of exceedances y = x − u over a high level u:
/// P(Y > y) = (1 + ξ y / σ)^(−1/ξ), and exp(−y/σ) in the limit ξ → 0.
public struct GeneralizedPareto: Codable, Equatable, Sendable {
    /// Shape ξ: 0 for an exponential tail, > 0 for a heavy (Pareto) tail, < 0 for a bounded one.
    public let xi: Double
    /// Scale σ > 0.
    public let sigma: Double

    public init(xi: Double, sigma: Double) {
        self.xi = xi
        self.sigma = sigma
    }

    /// Below this |ξ| the exponential limit is used, avoiding the 0/0 in σ/ξ·(r^(−ξ) − 1).
    static let exponentialLimit = 1e-9

    /// Lowest shape the fit may return. The likelihood is unbounded for ξ < −1 and the maximum
    /// likelihood estimator is regular only for ξ > −0.5 (Smith 1985), so the search stops there.
    public static let minimumShape = -0.5

    /// The level exceeded with probability `tailProbability` by an exceedance: y with P(Y > y) = p.
    public func exceedanceQuantile(tailProbability p: Double) -> Double {
        if abs(xi) < GeneralizedPareto.exponentialLimit { return -sigma * log(p) }
        return sigma / xi * (pow(p, -xi) - 1)
    }

    /// Maximum-likelihood fit to positive exceedances.
    ///
    /// Uses Grimshaw's (1993) reduction to one dimension: with θ = ξ/σ, the likelihood is maximised
    /// over ξ for fixed θ by ξ(θ) = mean log(1 + θ y), leaving the profile log-likelihood
    /// ℓ(θ)/N = −log(ξ(θ)/θ) − ξ(θ) − 1 (at θ = 0: −log ȳ − 1, the exponential fit).
    /// Instead of Grimshaw's root finding, ℓ is scanned on a grid (linear for θ < 0, logarithmic
    /// for θ > 0) and the best cell refined by golden-section search, which cannot miss a maximum
    /// between two roots. ξ is kept ≥ `minimumShape`.
    public static func fit(exceedances y: [Double]) -> GeneralizedPareto {
        precondition(!y.isEmpty && y.allSatisfy { $0 > 0 }, "GPD fit needs positive exceedances")
        let profile = ProfileLikelihood(y)
        let grid = profile.searchGrid()
        let values = grid.map(profile.logLikelihood)
        let best = values.indices.max { values[$0] < values[$1] }!
        let lo = grid[Swift.max(best - 1, 0)], hi = grid[Swift.min(best + 1, grid.count - 1)]
        let theta = goldenSectionMaximum(of: profile.logLikelihood, in: lo, hi)
        return profile.distribution(at: theta)
    }
}

/// The GPD log-likelihood profiled over ξ for fixed θ = ξ/σ (divided by the number of exceedances).
private struct ProfileLikelihood {
    let y: [Double]
    let mean: Double
    let maximum: Double

    init(_ y: [Double]) {
        self.y = y
        mean = y.reduce(0, +) / Double(y.count)
        maximum = y.max()!
    }

    func shape(_ theta: Double) -> Double {
        y.reduce(0) { $0 + log1p(theta * $1) } / Double(y.count)
    }

    func logLikelihood(_ theta: Double) -> Double {
        if theta == 0 { return -log(mean) - 1 }
        let xi = shape(theta)
        return -log(xi / theta) - xi - 1
    }

    func distribution(at theta: Double) -> GeneralizedPareto {
        if theta == 0 { return GeneralizedPareto(xi: 0, sigma: mean) }
        let xi = shape(theta)
        return GeneralizedPareto(xi: xi, sigma: xi / theta)
    }

    /// θ where ξ(θ) = minimumShape; ξ(θ) increases with θ and → −∞ as θ → −1/max(y).
    func lowestTheta() -> Double {
        var lo = -1 / maximum, hi = 0.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if shape(mid) < GeneralizedPareto.minimumShape { lo = mid } else { hi = mid }
        }
        return hi
    }

    /// Ascending θ values: 60 linear steps on [lowestTheta, 0), 0, then θ·ȳ log-spaced over [1e-8, 1e6].
    func searchGrid() -> [Double] {
        let low = lowestTheta()
        let negative = (0..<60).map { low * (1 - Double($0) / 60) }
        let positive = (0...140).map { pow(10, -8 + 14 * Double($0) / 140) / mean }
        return negative + [0] + positive
    }
}

/// Golden-section search for the maximum of a unimodal f on [a, b].
func goldenSectionMaximum(of f: (Double) -> Double, in a: Double, _ b: Double) -> Double {
    let ratio = (5.0.squareRoot() - 1) / 2
    var a = a, b = b
    var c = b - ratio * (b - a), d = a + ratio * (b - a)
    var fc = f(c), fd = f(d)
    for _ in 0..<100 where b - a > 1e-12 * Swift.max(abs(a), abs(b), 1e-300) {
        if fc > fd {
            b = d; d = c; fd = fc
            c = b - ratio * (b - a); fc = f(c)
        } else {
            a = c; c = d; fc = fd
            d = a + ratio * (b - a); fd = f(d)
        }
    }
    return (a + b) / 2
}
