/// The element of a given rank without sorting: a full sort of the pixels of a run's example
/// maps (millions of values at 1024×1024) took longer than drawing them.
public enum OrderStatistic {
    /// The value `sorted()[rank]` would give, by quickselect (three-way partition, the middle
    /// element as pivot, so it is repeatable); `values` is reordered.
    public static func select(_ rank: Int, of values: inout [Float]) -> Float {
        precondition(values.indices.contains(rank), "rank \(rank) of \(values.count) values")
        var lo = 0, hi = values.count  // the wanted element is within values[lo..<hi]
        while hi - lo > 1 {
            let pivot = values[(lo + hi) / 2]
            // values[lo..<lt] < pivot, values[lt..<i] == pivot, values[gt..<hi] > pivot.
            var lt = lo, i = lo, gt = hi
            while i < gt {
                if values[i] < pivot { values.swapAt(i, lt); lt += 1; i += 1 } else if values[i] > pivot { gt -= 1; values.swapAt(i, gt) } else { i += 1 }
            }
            if rank < lt { hi = lt } else if rank < gt { return pivot } else { lo = gt }
        }
        return values[lo]
    }

    /// The upper median, `sorted()[count / 2]`; nil when there are no values.
    public static func median(_ values: [Float]) -> Float? {
        guard !values.isEmpty else { return nil }
        var copy = values
        return select(values.count / 2, of: &copy)
    }
}
