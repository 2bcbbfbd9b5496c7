import Foundation

/// Counts at a threshold, with outliers (label true) as the positive class.
///
/// Ratios whose denominator is zero are 0, as in scikit-learn's `zero_division=0`: precision
/// with nothing flagged, recall with no true outliers, FPR with no normal samples.
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    public var truePositives = 0
    public var falsePositives = 0
    public var trueNegatives = 0
    public var falseNegatives = 0

    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// Flags a sample when score > threshold, the same strict rule as `Calibration.isOutlier`.
    public init(scores: [Double], labels: [Bool], threshold: Double) {
        precondition(scores.count == labels.count, "scores and labels differ in length")
        for (score, isOutlier) in zip(scores, labels) {
            switch (score > threshold, isOutlier) {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, false): trueNegatives += 1
            case (false, true): falseNegatives += 1
            }
        }
    }

    public var positives: Int { truePositives + falseNegatives }
    public var negatives: Int { falsePositives + trueNegatives }
    public var flagged: Int { truePositives + falsePositives }

    /// TP / (TP + FP).
    public var precision: Double { ratio(truePositives, flagged) }
    /// TP / (TP + FN), the true-positive rate.
    public var recall: Double { ratio(truePositives, positives) }
    /// FP / (FP + TN).
    public var falsePositiveRate: Double { ratio(falsePositives, negatives) }
    /// 2TP / (2TP + FP + FN), the harmonic mean of precision and recall; 0 when TP = 0.
    public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }
    public var accuracy: Double { ratio(truePositives + trueNegatives, positives + negatives) }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}
