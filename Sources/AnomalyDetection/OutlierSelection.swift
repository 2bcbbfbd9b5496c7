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
        switch self {
        case .threshold:
            for i in records.indices {
                records[i].outlier = records[i].status == .ok && records[i].score.map(calibration.isOutlier) == true
            }
        case .falseDiscoveryRate(let alpha):
            let scored = records.indices.filter { records[$0].status == .ok && records[$0].pValue != nil }
            let chosen = Set(benjaminiHochberg(pValues: scored.map { records[$0].pValue! }, alpha: alpha).selected.map { scored[$0] })
            for i in records.indices { records[i].outlier = chosen.contains(i) }
        }
    }
}
