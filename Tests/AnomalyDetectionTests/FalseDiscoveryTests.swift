import XCTest
@testable import AnomalyDetection

final class FalseDiscoveryTests: XCTestCase {
    func testSelectsUpToTheLargestPassingRankWithTies() {
        // m = 5, α = 0.2, critical values k·α/m = 0.04, 0.08, 0.12, 0.16, 0.20.
        // Sorted p: 0.01 ≤ 0.04 ✓, 0.03 ≤ 0.08 ✓, 0.04 ≤ 0.12 ✓, 0.04 ≤ 0.16 ✓, 0.5 > 0.20 ✗.
        // Largest k = 4, cut-off 0.04: both tied 0.04s are in.
        let s = benjaminiHochberg(pValues: [0.01, 0.04, 0.04, 0.5, 0.03], alpha: 0.2)
        XCTAssertEqual(s.selected, [0, 1, 2, 4])
        XCTAssertEqual(s.cutoff, 0.04)
    }

    func testTiedGroupPassesTogether() {
        // m = 3, α = 0.1: critical 0.0333, 0.0667, 0.1. Rank 1 (0.05 > 0.0333) fails but rank 3
        // (0.05 ≤ 0.1) passes, so all three are selected.
        XCTAssertEqual(benjaminiHochberg(pValues: [0.05, 0.05, 0.05], alpha: 0.1).selected, [0, 1, 2])
    }

    func testStepUpSelectsPastAFailingRank() {
        // m = 3, α = 0.05: critical 0.01667, 0.03333, 0.05. 0.02 fails at rank 1, 0.025 passes at
        // rank 2, so both are selected (a step-down procedure would select none).
        let s = benjaminiHochberg(pValues: [0.9, 0.025, 0.02], alpha: 0.05)
        XCTAssertEqual(s.selected, [1, 2])
        XCTAssertEqual(s.cutoff, 0.025)
    }

    func testNothingPasses() {
        // m = 4, α = 0.05: critical 0.0125, 0.025, 0.0375, 0.05 against 0.02, 0.04, 0.04, 0.9: all fail.
        let s = benjaminiHochberg(pValues: [0.02, 0.04, 0.04, 0.9], alpha: 0.05)
        XCTAssertEqual(s.selected, [])
        XCTAssertNil(s.cutoff)
        XCTAssertEqual(benjaminiHochberg(pValues: [], alpha: 0.1).selected, [])
    }

    func testNaNIsNeverSelectedButCounts() {
        // m = 2, α = 0.05: 0.03 > 1·0.025 fails at rank 1; rank 2 has no p-value. None selected
        // (without the NaN, m = 1 and 0.03 ≤ 0.05 would pass).
        XCTAssertEqual(benjaminiHochberg(pValues: [0.03, .nan], alpha: 0.05).selected, [])
        XCTAssertEqual(benjaminiHochberg(pValues: [0.03], alpha: 0.05).selected, [0])
    }
}
