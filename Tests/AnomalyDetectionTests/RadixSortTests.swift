import XCTest
@testable import AnomalyDetection

final class RadixSortTests: XCTestCase {
    func testSortsLikeTheStandardLibrary() {
        var rng = TestRandom(seed: 3)
        var values = (0..<5000).map { _ in UInt32(truncatingIfNeeded: rng.next()) } + [0, .max, 7, 7, .max]
        let expected = values.sorted()
        RadixSort.sort(&values)
        XCTAssertEqual(values, expected)
        var narrow: [UInt32] = [0x8000_0003, 0x8000_0001, 0x8000_0002]  // only the lowest digit differs
        RadixSort.sort(&narrow)
        XCTAssertEqual(narrow, [0x8000_0001, 0x8000_0002, 0x8000_0003])
    }

    func testSortsByTheHighHalfAndKeepsTheOrderOfEqualKeys() {
        var rng = TestRandom(seed: 4)
        // Keys from a small set (many ties), low halves numbering the original order.
        var values = (0..<3000).map { i in UInt64(rng.next() % 50 * 0x0123_4567) << 32 | UInt64(i) }
        let expected = values.enumerated()
            .sorted { ($0.element >> 32, $0.offset) < ($1.element >> 32, $1.offset) }.map(\.element)
        RadixSort.sort(&values, keyFrom: 32)
        XCTAssertEqual(values, expected)
    }
}
