import AnomalyDetection

/// The colour scale of a run's anomaly maps, the same for every map of the run so they compare.
///
/// Map values are unbounded (z-scores for the zmap rule, squared errors otherwise), so the scale
/// comes from the report's own examples: the bottom colour is the median map value of the typical
/// inliers (what a normal pixel looks like), the top colour the largest value in the shown
/// outliers' maps. Values outside are clamped. Without inliers the bottom is the smallest value
/// in the shown maps; without outliers the top is the largest value in the inliers' maps.
public struct MapScale: Equatable, Sendable {
    public var low: Double
    public var high: Double

    public init(low: Double, high: Double) {
        self.low = low.isFinite ? low : 0
        self.high = high.isFinite && high > self.low ? high : self.low + 1
    }

    /// Nil when no example of the report has a map.
    public init?(_ report: RunReport) {
        let inliers = report.typicalInliers.compactMap(\.map).flatMap { $0 }.filter(\.isFinite)
        let outliers = report.topOutliers.compactMap(\.map).flatMap { $0 }.filter(\.isFinite)
        guard !inliers.isEmpty || !outliers.isEmpty else { return nil }
        let low = OrderStatistic.median(inliers) ?? outliers.min()!
        let high = (outliers.isEmpty ? inliers : outliers).max()!
        self.init(low: Double(low), high: Double(high))
    }

    /// Where `value` falls on the scale, in [0, 1] (NaN counts as the bottom).
    public func fraction(_ value: Float) -> Double {
        guard !value.isNaN else { return 0 }
        return min(max((Double(value) - low) / (high - low), 0), 1)
    }
}
