import XCTest
@testable import NeuralNet

final class ElementwiseTests: XCTestCase {
    /// One column (a one-filter conv's bias gradient) goes through the interleaved sum: the
    /// Double sum to float rounding, with a tail shorter than eight; several columns as before.
    func testRowSumsOfOneColumnAndOfSeveral() {
        for rows in [5, 8, 235_203] {
            let x = randomTensor([rows], seed: UInt64(rows))
            let db = Tensor(shape: [1])
            db[0] = 2
            Elementwise.addRowSums(x.ptr, rows: rows, cols: 1, into: db.ptr)
            let expected = 2 + x.array.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(Double(db[0]), expected, accuracy: 1e-6 * Double(rows), "\(rows)")
        }
        let m = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6]), sums = Tensor(shape: [2])
        Elementwise.sumRows(m.ptr, rows: 3, cols: 2, into: sums.ptr)
        XCTAssertEqual(sums.array, [9, 12])
    }
}
