import XCTest
@testable import AnomalyDetection

final class OrderStatisticTests: XCTestCase {
    /// Every rank of arrays with many ties, sorted runs and one value agrees with a full sort.
    func testSelectAgreesWithSortingAtEveryRank() {
        var rng = SystemRandomNumberGenerator()
        let arrays: [[Float]] = [
            [3], [2, 1], [1, 1, 1, 1], Array(0..<50).map(Float.init), Array((0..<50).reversed()).map(Float.init),
            (0..<301).map { _ in Float(Int.random(in: 0..<7, using: &rng)) },
            (0..<257).map { _ in Float.random(in: -1...1, using: &rng) },
        ]
        for values in arrays {
            let sorted = values.sorted()
            for rank in values.indices {
                var copy = values
                XCTAssertEqual(OrderStatistic.select(rank, of: &copy), sorted[rank], "rank \(rank) of \(values.count)")
            }
            XCTAssertEqual(OrderStatistic.median(values), sorted[values.count / 2])
        }
        XCTAssertNil(OrderStatistic.median([]))
    }
}
