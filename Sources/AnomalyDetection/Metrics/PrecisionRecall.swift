import Foundation

/// One point of a precision–recall curve: flagging every sample with score ≥ `cut`.
public struct PRPoint: Codable, Equatable, Sendable {
    public let cut: Double
    public let recall: Double
    public let precision: Double
}

/// Precision–recall curve over outlier scores, outliers (label true) positive.
public struct PRCurve: Equatable, Sendable {
    /// One point per distinct score, highest cut first (recall rising). No artificial end points.
    public let points: [PRPoint]
    /// Average precision as in scikit-learn: Σ (R_n − R_{n−1}) P_n over the points, R_0 = 0.
    /// A step function, not the trapezoid (which is optimistic for PR curves). Nil when there
    /// are no outliers.
    public let averagePrecision: Double?

    public init(scores: [Double], labels: [Bool]) {
        let counts = RankedCounts(scores: scores, labels: labels)
        let p = Double(counts.positives)
        points = counts.steps.map {
            PRPoint(cut: $0.cut, recall: p == 0 ? 0 : Double($0.truePositives) / p,
                    precision: Double($0.truePositives) / Double($0.truePositives + $0.falsePositives))
        }
        guard counts.positives > 0 else { averagePrecision = nil; return }
        var sum = 0.0, previousRecall = 0.0
        for point in points {
            sum += (point.recall - previousRecall) * point.precision
            previousRecall = point.recall
        }
        averagePrecision = sum
    }
}

public func averagePrecision(scores: [Double], labels: [Bool]) -> Double? {
    PRCurve(scores: scores, labels: labels).averagePrecision
}
