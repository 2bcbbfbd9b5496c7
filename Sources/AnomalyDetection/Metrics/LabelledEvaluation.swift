/// Metrics of a scored batch whose classes are known: "anomaly" (positive) is any class
/// other than the normal one. Records without a label, or unread, take no part.
public struct LabelledEvaluation {
    public struct ClassRow: Equatable, Sendable {
        public let label: String
        public let count: Int
        public let flagged: Int
        public let normal: Bool
    }

    public let roc: ROCCurve
    public let precisionRecall: PRCurve
    /// At the run's selection (the calibrated threshold, or the FDR choice).
    public let confusion: ConfusionMatrix
    public let perClass: [ClassRow]

    public init(records: [ScoreRecord], normalClass: String) {
        let known = records.filter { $0.status == .ok && $0.label != nil && $0.score != nil }
        let scores = known.map { $0.score! }
        let anomalous = known.map { $0.label! != normalClass }
        roc = ROCCurve(scores: scores, labels: anomalous)
        precisionRecall = PRCurve(scores: scores, labels: anomalous)
        var cm = ConfusionMatrix(truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0)
        for (r, positive) in zip(known, anomalous) {
            switch (r.outlier, positive) {
            case (true, true): cm.truePositives += 1
            case (true, false): cm.falsePositives += 1
            case (false, false): cm.trueNegatives += 1
            case (false, true): cm.falseNegatives += 1
            }
        }
        confusion = cm
        let groups = Dictionary(grouping: known, by: { $0.label! })
        perClass = groups.keys.sorted { (Int($0) ?? Int.max, $0) < (Int($1) ?? Int.max, $1) }.map { label in
            ClassRow(label: label, count: groups[label]!.count, flagged: groups[label]!.filter(\.outlier).count,
                     normal: label == normalClass)
        }
    }
}
