/// Least-significant-digit radix sort on 32 bits of unsigned integers: linear time, where a
/// comparison sort of tens of millions of pixel keys takes seconds.
enum RadixSort {
    private static let digitBits = 11  // three passes; a 2048-entry histogram stays in L1 cache

    /// Sorts `values` ascending by bits `lowBit ..< lowBit + 32`; equal keys keep their order.
    static func sort<T: UnsignedInteger & FixedWidthInteger>(_ values: inout [T], keyFrom lowBit: Int = 0) {
        precondition(lowBit >= 0 && lowBit + 32 <= T.bitWidth, "the key must lie within the value")
        guard values.count > 1 else { return }
        var scratch = [T](repeating: 0, count: values.count)
        var sortedInScratch = false
        for shift in stride(from: lowBit, to: lowBit + 32, by: digitBits) {
            let moved = sortedInScratch ? pass(&scratch, into: &values, shift: shift)
                                        : pass(&values, into: &scratch, shift: shift)
            if moved { sortedInScratch.toggle() }
        }
        if sortedInScratch { swap(&values, &scratch) }
    }

    /// One stable counting-sort pass on the digit at `shift`; false (nothing moved) when every
    /// value has the same digit, as the high digits often do for map values in a narrow range.
    private static func pass<T: UnsignedInteger & FixedWidthInteger>(_ source: inout [T], into target: inout [T],
                                                                     shift: Int) -> Bool {
        let mask = T((1 << digitBits) - 1)
        var offsets = [Int](repeating: 0, count: 1 << digitBits)
        source.withUnsafeBufferPointer { from in
            for value in from { offsets[Int(truncatingIfNeeded: value >> shift & mask)] += 1 }
        }
        if offsets.contains(source.count) { return false }
        var start = 0
        for digit in offsets.indices { (offsets[digit], start) = (start, start + offsets[digit]) }
        source.withUnsafeBufferPointer { from in
            target.withUnsafeMutableBufferPointer { to in
                for value in from {
                    let digit = Int(truncatingIfNeeded: value >> shift & mask)
                    to[offsets[digit]] = value
                    offsets[digit] += 1
                }
            }
        }
        return true
    }
}
