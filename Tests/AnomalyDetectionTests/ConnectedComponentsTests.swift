import XCTest
@testable import AnomalyDetection

final class ConnectedComponentsTests: XCTestCase {
    private func mask(_ rows: [String]) -> [Bool] { rows.joined().map { $0 == "#" } }

    func testLShapeAndDiagonalPair() {
        let rows = ["#....",
                    "#....",
                    "##...",
                    "...#.",
                    "....#"]
        let eight = ConnectedComponents(mask: mask(rows), height: 5, width: 5)
        XCTAssertEqual(eight.sizes, [4, 2])
        XCTAssertEqual(eight.labels[0], eight.labels[11])    // the L's two ends
        XCTAssertEqual(eight.labels[18], eight.labels[24])   // the diagonal pair
        XCTAssertEqual(eight.labels[1], -1)
        let four = ConnectedComponents(mask: mask(rows), height: 5, width: 5, connectivity: .four)
        XCTAssertEqual(four.sizes, [4, 1, 1])
        XCTAssertNotEqual(four.labels[18], four.labels[24])
    }

    func testRowEndsAreNotNeighbours() {
        // (0, 2) and (1, 0) follow each other in memory but are two columns apart.
        let components = ConnectedComponents(mask: mask(["..#", "#..", "..."]), height: 3, width: 3)
        XCTAssertEqual(components.sizes, [1, 1])
    }

    func testEmptyAndFullMasks() {
        XCTAssertEqual(ConnectedComponents(mask: mask(["...", "..."]), height: 2, width: 3).count, 0)
        XCTAssertEqual(ConnectedComponents(mask: mask(["###", "###"]), height: 2, width: 3).sizes, [6])
    }
}
