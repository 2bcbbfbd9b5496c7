import XCTest
@testable import NeuralNet

final class TensorTests: XCTestCase {
    func testRowsViewSharesStorageUntilResizeOutgrowsIt() {
        let base = Tensor(shape: [4, 2, 3], values: (0..<24).map(Float.init))
        let view = Tensor(rowsOf: base, start: 1, count: 2)
        XCTAssertEqual(view.shape, [2, 2, 3])
        XCTAssertEqual(view.array, (6..<18).map(Float.init))
        view[0] = -1
        XCTAssertEqual(base[6], -1, "a view writes through to its base")
        view.resize([2, 3])
        view[0] = -2
        XCTAssertEqual(base[6], -2, "shrinking keeps the base's storage")
        view.resize([5, 6])
        view[0] = -3
        XCTAssertEqual(base[6], -2, "outgrowing it gives the view storage of its own")
        XCTAssertEqual(base[18], 18, "and the rows past the view were never touched")
    }
}
