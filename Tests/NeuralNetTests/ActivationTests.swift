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
}
