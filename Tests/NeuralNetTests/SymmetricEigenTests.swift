import XCTest
@testable import NeuralNet

final class SymmetricEigenTests: XCTestCase {
    func testTwoByTwoByHand() throws {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/√2 and (1, −1)/√2.
        let (values, vectors) = try SymmetricEigen.decompose([2, 1, 1, 2], n: 2)
        XCTAssertEqual(values[0], 3, accuracy: 1e-12)
        XCTAssertEqual(values[1], 1, accuracy: 1e-12)
        let r = 1 / 2.0.squareRoot()
        XCTAssertEqual(abs(vectors[0]), r, accuracy: 1e-12)
        XCTAssertEqual(vectors[0], vectors[1], accuracy: 1e-12)
        XCTAssertEqual(vectors[2], -vectors[3], accuracy: 1e-12)
    }

    func testReconstructsTheMatrix() throws {
        let a: [Double] = [4, 1, -2, 1, 3, 0.5, -2, 0.5, 5]
        let (values, v) = try SymmetricEigen.decompose(a, n: 3)
        XCTAssertEqual(values, values.sorted(by: >))
        for i in 0..<3 { for j in 0..<3 {
            let sum = (0..<3).reduce(0.0) { $0 + values[$1] * v[$1 * 3 + i] * v[$1 * 3 + j] }
            XCTAssertEqual(sum, a[i * 3 + j], accuracy: 1e-10)
        } }
    }
}
