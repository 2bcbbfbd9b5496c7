import XCTest
@testable import NeuralNet

final class ReshapeTests: XCTestCase {
    func testFlattenKeepsNHWCOrder() throws {
        // Keras flattens channels_last images row by row, pixel by pixel, channel fastest:
        // exactly the memory order, so item b's values are copied unchanged.
        let flatten = try Flatten(inputShape: [2, 2, 3])
        XCTAssertEqual(flatten.outputShape, [12])
        XCTAssertEqual(flatten.parameterCount, 0)
        let x = Tensor(shape: [2, 2, 2, 3], values: (0..<24).map(Float.init))
        let y = flatten.forward(x, training: false)
        XCTAssertEqual(y.shape, [2, 12])
        XCTAssertEqual(y.array, (0..<24).map(Float.init))
        XCTAssertEqual(x.shape, [2, 2, 2, 3], "the caller's tensor keeps its shape")
        let dx = flatten.backward(Tensor(shape: [2, 12], values: (0..<24).map { Float($0) * 2 }))
        XCTAssertEqual(dx.shape, [2, 2, 2, 3])
        XCTAssertEqual(dx.array, (0..<24).map { Float($0) * 2 })
    }

    func testReshapeToImageAndBack() throws {
        let reshape = try Reshape(inputShape: [196], targetShape: [14, 14, 1])
        XCTAssertEqual(reshape.outputShape, [14, 14, 1])
        let x = randomTensor([3, 196])
        let y = reshape.forward(x, training: false)
        XCTAssertEqual(y.shape, [3, 14, 14, 1])
        XCTAssertEqual(y.array, x.array)
        XCTAssertEqual(y[1 * 196 + 5 * 14 + 3], x[1 * 196 + 5 * 14 + 3], "item 1, row 5, column 3")
        let dx = reshape.backward(y)
        XCTAssertEqual(dx.shape, [3, 196])
        XCTAssertEqual(dx.array, x.array)
    }

    func testShapeErrors() {
        XCTAssertThrowsError(try Reshape(inputShape: [196], targetShape: [14, 14, 2])) { error in
            XCTAssertTrue("\(error)".contains("196"), "\(error)")
        }
        XCTAssertThrowsError(try Reshape(inputShape: [4], targetShape: [-2, -2]))
        XCTAssertThrowsError(try Flatten(inputShape: []))
    }

    func testGradientsPassThrough() throws {
        GradientCheck().check(try Flatten(inputShape: [3, 2, 2]), input: randomTensor([2, 3, 2, 2]))
        GradientCheck().check(try Reshape(inputShape: [12], targetShape: [2, 3, 2]), input: randomTensor([2, 12]))
    }
}
