import Foundation

/// One point of a ROC curve: the rates when every sample with score ≥ `cut` is flagged.
/// (With the strict rule of `ConfusionMatrix`, that is a threshold just below `cut`.)
public struct ROCPoint: Codable, Equatable, Sendable {
    public let cut: Double
    public let falsePositiveRate: Double
    public let truePositiveRate: Double
}

/// ROC curve over outlier scores, outliers (label true) positive.
public struct ROCCurve: Equatable, Sendable {
    /// From (0, 0) at cut +∞ through one point per distinct score (descending) to (1, 1).
    public let points: [ROCPoint]
    /// Area under the curve by the trapezoid rule, which equals the Mann–Whitney statistic
    /// P(score of an outlier > score of a normal) + ½ P(equal): a tied group is one diagonal
    /// step. Nil when either class is absent.
    public let auc: Double?

    public init(scores: [Double], labels: [Bool]) {
        let counts = RankedCounts(scores: scores, labels: labels)
        let p = Double(counts.positives), n = Double(counts.negatives)
        func rate(_ a: Int, _ b: Double) -> Double { b == 0 ? 0 : Double(a) / b }
        points = [ROCPoint(cut: .infinity, falsePositiveRate: 0, truePositiveRate: 0)]
            + counts.steps.map {
                ROCPoint(cut: $0.cut, falsePositiveRate: rate($0.falsePositives, n),
                         truePositiveRate: rate($0.truePositives, p))
            }
        auc = counts.positives > 0 && counts.negatives > 0 ? ROCCurve.area(counts) : nil
    }

    /// Σ ΔFP · (TP_before + TP_after)/2 in integer half-units, then divided by P·N.
    private static func area(_ counts: RankedCounts) -> Double {
        var doubled = 0, tp = 0, fp = 0
        for step in counts.steps {
            doubled += (step.falsePositives - fp) * (step.truePositives + tp)
            tp = step.truePositives
            fp = step.falsePositives
        }
        return Double(doubled) / (2 * Double(counts.positives) * Double(counts.negatives))
    }
}

public func rocAUC(scores: [Double], labels: [Bool]) -> Double? {
    ROCCurve(scores: scores, labels: labels).auc
}
