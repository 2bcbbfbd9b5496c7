import XCTest
@testable import DataIO

final class ResampleTests: XCTestCase {
    func testShrinkingAveragesTheCoveredArea() {
        let src: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
        XCTAssertEqual(Resample.resize(src, height: 4, width: 4, channels: 1, toHeight: 2, toWidth: 2), [3.5, 5.5, 11.5, 13.5])
        // 3 → 2: output 0 covers [0, 1.5): (1·a + 0.5·b) / 1.5.
        let row = Resample.resize([0, 3, 6], height: 1, width: 3, channels: 1, toHeight: 1, toWidth: 2)
        XCTAssertEqual(row[0], 1, accuracy: 1e-6)
        XCTAssertEqual(row[1], 5, accuracy: 1e-6)
    }

    func testEnlargingInterpolatesBetweenPixelCentres() {
        // 2 → 4 with half-pixel centres: x = 0.25·… → [0, 0.25, 0.75, 1] of the way, clamped at the ends.
        XCTAssertEqual(Resample.resize([0, 4], height: 1, width: 2, channels: 1, toHeight: 1, toWidth: 4), [0, 1, 3, 4])
    }

    func testChannelsStaySeparate() {
        let rgb: [Float] = [1, 0, 0, 0, 1, 0]  // red, green
        XCTAssertEqual(Resample.resize(rgb, height: 1, width: 2, channels: 3, toHeight: 1, toWidth: 1), [0.5, 0.5, 0])
    }
}
