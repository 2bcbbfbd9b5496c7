/// How the outliers of a batch are chosen: against the calibrated threshold, or by
/// Benjamini–Hochberg on the conformal p-values at false-discovery rate α, which
/// needs the whole batch (so a merge of shards must select again over the union).
public enum OutlierSelection: Equatable, Sendable {
    case threshold
    case falseDiscoveryRate(Double)

    public var name: String {
        switch self {
        case .threshold: "threshold"
        case .falseDiscoveryRate: "fdr"
        }
    }

    /// Sets `outlier` on every record (error records are never outliers).
    public func apply(to records: inout [ScoreRecord], calibration: Calibration) {
        let flags = outliers(count: records.count, calibration: calibration) { i in
            records[i].status == .ok ? (records[i].score, records[i].pValue) : nil
        }
        for i in records.indices { records[i].outlier = flags[i] }
    }

    /// Sets the outlier column of a scoring run's verdicts.
    func apply(to columns: inout Verdicts.Columns, calibration: Calibration) {
        let c = columns
        columns.outlier = outliers(count: c.scored.count, calibration: calibration) { i in
            c.scored[i] ? (c.score[i], c.pValue[i]) : nil
        }
    }

    /// Outlier flags of `count` inputs given each one's (score, p-value), nil when it was not scored.
    private func outliers(count: Int, calibration: Calibration, _ scored: (Int) -> (score: Double?, pValue: Double?)?) -> [Bool] {
        switch self {
        case .threshold:
            return (0..<count).map { i in scored(i)?.score.map(calibration.isOutlier) == true }
        case .falseDiscoveryRate(let alpha):
            let tested = (0..<count).compactMap { i in scored(i)?.pValue.map { (i, $0) } }
            let chosen = Set(benjaminiHochberg(pValues: tested.map(\.1), alpha: alpha).selected.map { tested[$0].0 })
            return (0..<count).map(chosen.contains)
        }
    }
}
