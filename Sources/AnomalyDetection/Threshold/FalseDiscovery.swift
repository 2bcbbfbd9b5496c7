import Foundation

/// The outcome of Benjamini–Hochberg selection.
public struct FalseDiscoverySelection: Equatable, Sendable {
    /// Indices into the p-value array of the selected (rejected) hypotheses, ascending.
    public let selected: [Int]
    /// The largest selected p-value p_(k); every p-value ≤ it is selected. Nil when none is.
    public let cutoff: Double?
}

/// Benjamini–Hochberg step-up selection at false-discovery rate `alpha`: with p-values sorted
/// p_(1) ≤ … ≤ p_(m), find the largest k with p_(k) ≤ k·α/m and select every p ≤ p_(k).
/// Tied p-values are selected together (if p_(k) passes, an equal p_(k+1) passes too), and a
/// rank may fail while a later one passes (step-up, not step-down). NaN p-values are never
/// selected but count in m, which keeps the procedure conservative.
public func benjaminiHochberg(pValues: [Double], alpha: Double) -> FalseDiscoverySelection {
    let m = pValues.count
    let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted { pValues[$0] < pValues[$1] }
    var cutoff: Double? = nil
    for (rank, index) in order.enumerated().reversed() where pValues[index] <= Double(rank + 1) * alpha / Double(m) {
        cutoff = pValues[index]
        break
    }
    guard let cut = cutoff else { return FalseDiscoverySelection(selected: [], cutoff: nil) }
    return FalseDiscoverySelection(selected: pValues.indices.filter { pValues[$0] <= cut }, cutoff: cut)
}
