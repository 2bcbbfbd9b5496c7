import Foundation

/// The outlier threshold and the calibration scores it came from.
///
/// A sample is an outlier when its score is strictly greater than `threshold` (see `isOutlier`).
/// The quantile rule below is chosen to go with that strict comparison.
public struct Calibration: Codable, Equatable, Sendable {
    public let method: ThresholdMethod
    /// The calibration scores, ascending: the held-out slice's scores (for `contamination:c`, a
    /// slice taken to hold a fraction c of outliers). Conformal p-values are computed against them.
    public let scores: [Double]
    public let threshold: Double
    public let summary: ScoreSummary
    /// The fitted tail, for `evt:q` only.
    public let peaksOverThreshold: PeaksOverThreshold?
    /// For `quantile:q`: the guaranteed bound (n + 1 − k)/(n + 1) on the false-positive rate
    /// of a new normal sample (exchangeable with the calibration scores). Nil for other methods.
    public let falsePositiveBound: Double?
    /// Set when the method could not do what was asked with this many scores.
    public let warning: String?

    public func isOutlier(_ score: Double) -> Bool { score > threshold }

    /// Conformal p-value (1 + #{calibration scores ≥ score}) / (n + 1): for a normal sample
    /// P(p ≤ α) ≤ α. A score above a `quantile:q` threshold always has p ≤ 1 − q. NaN for NaN.
    public func pValue(_ score: Double) -> Double {
        if score.isNaN { return .nan }
        let atLeast = scores.count - lowerBound(of: score)
        return Double(1 + atLeast) / Double(scores.count + 1)
    }

    /// Index of the first calibration score ≥ `score` (binary search).
    private func lowerBound(of score: Double) -> Int {
        var lo = 0, hi = scores.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if scores[mid] < score { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension Calibration {
    public static func fit(scores: [Float], method: ThresholdMethod) throws -> Calibration {
        try fit(scores: scores.map(Double.init), method: method)
    }

    public static func fit(scores: [Double], method: ThresholdMethod) throws -> Calibration {
        guard !scores.isEmpty else { throw CalibrationError("no calibration scores") }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw CalibrationError("calibration score \(bad) is \(scores[bad]); scores must be finite")
        }
        if let problem = method.rangeProblem { throw CalibrationError("\(method): \(problem)") }
        let sorted = scores.sorted()
        switch method {
        case .quantile(let q): return quantile(sorted, q, method)
        case .sigma(let k): return try sigma(sorted, k, method)
        case .contamination(let c): return contamination(sorted, c, method)
        case .evt(let q): return try evt(sorted, q, method)
        }
    }

    /// k = ⌈(n + 1)q⌉, the finite-sample conformal rank: a new normal score exceeds the k-th
    /// smallest of n exchangeable scores with probability (n + 1 − k)/(n + 1) ≤ 1 − q.
    /// A tiny relative tolerance keeps (n + 1)q that is whole in exact arithmetic (10 × 0.9)
    /// from rounding up past it.
    public static func quantileRank(n: Int, q: Double) -> Int {
        let x = Double(n + 1) * q
        return max(1, Int((x - x * 1e-12).rounded(.up)))
    }

    /// When k > n (n < q/(1 − q)) no calibration score is high enough for the guarantee; the
    /// only threshold that keeps it is +∞, which would never flag anything. We take the largest
    /// calibration score instead, report the weaker bound 1/(n + 1) in `falsePositiveBound`, and
    /// say so in `warning` (evt:q is the method meant for risks this small).
    private static func quantile(_ sorted: [Double], _ q: Double, _ method: ThresholdMethod) -> Calibration {
        let n = sorted.count
        let k = quantileRank(n: n, q: q)
        let used = min(k, n)
        var warning: String? = nil
        if k > n {
            let needed = Int((q / (1 - q) - 1e-9).rounded(.up))
            warning = "\(method) needs at least \(needed) calibration scores for a false-positive rate ≤ "
                + String(format: "%g", 1 - q) + "; with \(n) the threshold is the largest score and the bound is 1/\(n + 1)"
        }
        return Calibration(method: method, scores: sorted, threshold: sorted[used - 1],
                           summary: ScoreSummary(sorted: sorted), peaksOverThreshold: nil,
                           falsePositiveBound: Double(n + 1 - used) / Double(n + 1), warning: warning)
    }

    /// mean + k·std with the sample standard deviation (divisor n − 1), so n ≥ 2.
    private static func sigma(_ sorted: [Double], _ k: Double, _ method: ThresholdMethod) throws -> Calibration {
        guard sorted.count >= 2 else { throw CalibrationError("\(method) needs at least 2 calibration scores") }
        let summary = ScoreSummary(sorted: sorted)
        return Calibration(method: method, scores: sorted, threshold: summary.mean + k * summary.std,
                           summary: summary, peaksOverThreshold: nil, falsePositiveBound: nil, warning: nil)
    }

    /// The (n − m)-th smallest score with m = ⌊c·n⌋, so exactly the m highest training scores
    /// are strictly above the threshold (when there are no ties). m = 0 gives the largest score.
    private static func contamination(_ sorted: [Double], _ c: Double, _ method: ThresholdMethod) -> Calibration {
        let n = sorted.count
        let x = Double(n) * c
        let m = Int((x + x * 1e-12).rounded(.down))
        let warning = m == 0 ? "\(method) with \(n) scores flags no training sample (c·n < 1)" : nil
        return Calibration(method: method, scores: sorted, threshold: sorted[n - m - 1],
                           summary: ScoreSummary(sorted: sorted), peaksOverThreshold: nil,
                           falsePositiveBound: nil, warning: warning)
    }

    private static func evt(_ sorted: [Double], _ q: Double, _ method: ThresholdMethod) throws -> Calibration {
        let pot = try PeaksOverThreshold(sorted: sorted)
        return Calibration(method: method, scores: sorted, threshold: pot.quantile(q),
                           summary: ScoreSummary(sorted: sorted), peaksOverThreshold: pot,
                           falsePositiveBound: nil, warning: nil)
    }
}

public struct CalibrationError: Error, LocalizedError, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
