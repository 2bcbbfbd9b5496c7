import Foundation

/// Descriptive statistics of a set of scores, kept with the calibration for `inspect` and reports.
public struct ScoreSummary: Codable, Equatable, Sendable {
    public let n: Int
    public let mean: Double
    /// Sample standard deviation (divisor n − 1); 0 when n = 1.
    public let std: Double
    public let min: Double
    public let max: Double
    /// The middle value, or the mean of the two middle values when n is even.
    public let median: Double

    /// - Precondition: `sorted` is non-empty and ascending.
    public init(sorted: [Double]) {
        precondition(!sorted.isEmpty, "ScoreSummary needs at least one score")
        n = sorted.count
        mean = sorted.reduce(0, +) / Double(n)
        // Two-pass variance: the mean is subtracted before squaring, so large offsets do not cancel.
        let m = mean
        let squares = sorted.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        std = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
        min = sorted[0]
        max = sorted[n - 1]
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
