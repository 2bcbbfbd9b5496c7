import Foundation
import XCTest
@testable import AnomalyDetection

final class ColourPriorTests: XCTestCase {
    /// Each channel's ⌊32·v⌋, clamped to 0…31, red the slowest.
    func testBinOfAPixel() {
        let pixels: [[Float]] = [[0, 0, 0], [1, 1, 1], [0.5, 0.25, 0.99], [-0.1, 1.2, 0.031]]
        let bins = pixels.map { p in p.withUnsafeBufferPointer { ColourPrior.bin($0.baseAddress!) } }
        XCTAssertEqual(bins, [0, 32767, (16 * 32 + 8) * 32 + 31, (0 * 32 + 31) * 32 + 0])
    }

    /// All counts in one bin: the density there is the cube of the Gaussian's centre tap, one bin
    /// away the centre tap squared times the next, beyond three bins nothing (the floor).
    func testRarityOfASingleBinByHand() {
        let centre = (15 * 32 + 15) * 32 + 15
        let prior = ColourPrior(counts: [centre, 7])
        let taps = (-3...3).map { exp(-Double($0 * $0) / 2) }, total = taps.reduce(0, +)
        let g0 = taps[3] / total, g1 = taps[4] / total
        XCTAssertEqual(Double(prior.rarity[centre]), 1 / (g0 * g0 * g0 + 1e-7), accuracy: 1e-3)
        XCTAssertEqual(Double(prior.rarity[centre + 1]), 1 / (g0 * g0 * g1 + 1e-7), accuracy: 1e-3)
        XCTAssertEqual(Double(prior.rarity[centre + 4 * 32 * 32]), 1e7, accuracy: 1)
        XCTAssertEqual(prior.rarity.count, 32 * 32 * 32)
    }

    /// Two bins with counts 1 and 3 are the same prior as 2 and 6 (the counts are divided by their total).
    func testCountsAreNormalised() {
        XCTAssertEqual(ColourPrior(counts: [5, 1, 900, 3]).rarity, ColourPrior(counts: [5, 2, 900, 6]).rarity)
    }

    func testCountingAndSparseForm() {
        let image: [Float] = [0, 0, 0, 0.01, 0.02, 0.03, 1, 1, 1, 0.5, 0.5, 0.5]
        var histogram = [Int](repeating: 0, count: ColourPrior.bins)
        image.withUnsafeBufferPointer { ColourPrior.count($0.baseAddress!, pixels: 4, into: &histogram) }
        XCTAssertEqual(ColourPrior.sparse(histogram), [0, 2, (16 * 32 + 16) * 32 + 16, 1, 32767, 1])
    }

    /// With colour counts the zmap has a fourth term, high where a pixel's colour was never counted.
    func testZMapColourTermFlagsAnUnseenColour() {
        let (h, w) = (8, 8)
        var x = [Float](repeating: 0, count: 3 * h * w)
        for p in 0..<(h * w) { x[3 * p] = 0.8; x[3 * p + 1] = 0.3; x[3 * p + 2] = 0.2 }
        var histogram = [Int](repeating: 0, count: ColourPrior.bins)
        x.withUnsafeBufferPointer { ColourPrior.count($0.baseAddress!, pixels: h * w, into: &histogram) }
        let maker = ZMapMaker(height: h, width: w, channels: 3, colourCounts: ColourPrior.sparse(histogram))
        XCTAssertEqual(maker.termCount, 4)
        XCTAssertEqual(ZMapMaker(height: h, width: w, channels: 3).termCount, 3)
        XCTAssertEqual(ZMapMaker(height: h, width: w, channels: 1, colourCounts: [0, 1]).termCount, 2)
        var y = x
        let centre = 4 * w + 4
        y[3 * centre] = 0.1; y[3 * centre + 1] = 0.9; y[3 * centre + 2] = 0.9  // a colour no normal pixel has
        var seen = [Float](repeating: 0, count: 4 * h * w), unseen = seen
        x.withUnsafeBufferPointer { maker.terms($0.baseAddress!, $0.baseAddress!, into: &seen) }
        y.withUnsafeBufferPointer { maker.terms($0.baseAddress!, $0.baseAddress!, into: &unseen) }
        let p = h * w
        XCTAssertGreaterThan(unseen[3 * p + centre], seen[3 * p + centre] + 5)
        XCTAssertEqual(unseen[3 * p], seen[3 * p], accuracy: 1e-4, "a corner 4 pixels away is outside the σ 1 blur")
    }

    /// The counts travel with the rule in the model file; bins outside the cube are refused.
    func testRuleKeepsItsColourCountsAndRefusesBadOnes() throws {
        let rule = ScoringRule.zmap.with(colourCounts: [3, 10, 4000, 2]).with(statistics: [1, 2, 3, 4, 5, 6, 7, 8])
        let decoded = try JSONDecoder().decode(ScoringRule.self, from: try JSONEncoder().encode(rule))
        XCTAssertEqual(decoded, rule)
        XCTAssertEqual(decoded.colourCounts, [3, 10, 4000, 2])
        let plain = try JSONDecoder().decode(ScoringRule.self, from: try JSONEncoder().encode(ScoringRule.zmap))
        XCTAssertEqual(plain.colourCounts, [])
        for bad in [#"{"kind":"zmap","colour_counts":[32768,1]}"#, #"{"kind":"zmap","colour_counts":[3]}"#, #"{"kind":"zmap","colour_counts":[3,-1]}"#] {
            XCTAssertThrowsError(try JSONDecoder().decode(ScoringRule.self, from: Data(bad.utf8)), bad)
        }
    }
}
