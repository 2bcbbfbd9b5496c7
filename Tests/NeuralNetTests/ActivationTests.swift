import XCTest
@testable import NeuralNet

final class ActivationTests: XCTestCase {
    /// relu in place: negatives to zero, the rest (zero, positives, NaN) unchanged, over a
    /// length that is not a multiple of any vector width.
    func testReluApplyZeroesOnlyNegatives() {
        var values: [Float] = [-2, -0.5, 0, 0.25, 3, -1e-30, 1e-30, .nan, -.infinity, .infinity, -7]
        values += randomTensor([37], seed: 4).array
        var out = values
        Activation.relu.apply(&out, out.count)
        for (v, r) in zip(values, out) {
            if v.isNaN { XCTAssertTrue(r.isNaN); continue }
            XCTAssertEqual(r, v < 0 ? 0 : v, "\(v)")
        }
    }

    /// The vector sigmoid agrees with 1/(1 + e^−x) in double precision to a few float ulps,
    /// saturates without NaN (below −87.3 at e^−87.3 ≈ 1.2e-38, not a subnormal), and gives a value the same result wherever it falls in a block.
    func testSigmoidIsAccurateAndIndependentOfPosition() {
        var values: [Float] = [0, -0, 1e-8, -1e-8, 0.5, -0.5, 10, -10, 30, -30, 88, -88, 100, -100, 1e30, -1e30]
        values += (0..<203).map { Float($0 - 101) * 0.173 }
        var out = values
        Activation.sigmoid.apply(&out, out.count)
        for (v, y) in zip(values, out) {
            let exact = 1 / (1 + Foundation.exp(-Double(v)))
            XCTAssertFalse(y.isNaN, "\(v)")
            XCTAssertEqual(Double(y), exact, accuracy: max(4e-7 * exact, 2e-38), "\(v)")
        }
        for offset in 1..<9 {  // the same values after `offset` others: other lanes, another tail
            var shifted = [Float](repeating: 0.3, count: offset) + values
            Activation.sigmoid.apply(&shifted, shifted.count)
            XCTAssertEqual(Array(shifted[offset...]), out, "offset \(offset)")
        }
    }
}
