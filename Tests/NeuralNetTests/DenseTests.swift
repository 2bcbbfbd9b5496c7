import XCTest
@testable import NeuralNet

final class DenseTests: XCTestCase {
    func testForwardMatchesHandComputation() throws {
        var rng = SeededRandom(seed: 0)
        let d = try Dense(inputShape: [2], units: 2, activation: .relu, rng: &rng)
        d.kernel.value.copy(from: Tensor(shape: [2, 2], values: [1, -1, 2, 0.5]))
        d.bias.value.copy(from: Tensor(shape: [2], values: [0.5, -3]))
        let y = d.forward(Tensor(shape: [1, 2], values: [1, 2]), training: false)
        // [1·1 + 2·2 + 0.5, 1·(−1) + 2·0.5 − 3] = [5.5, −3] → relu → [5.5, 0]
        XCTAssertEqual(y.array, [5.5, 0])
    }

    func testGradients2D() throws {
        var rng = SeededRandom(seed: 1)
        for act in Activation.allCases {
            let d = try Dense(inputShape: [5], units: 4, activation: act, rng: &rng)
            GradientCheck().check(d, input: randomTensor([3, 5]))
        }
    }

    func testGradientsTimeDistributed() throws {
        var rng = SeededRandom(seed: 2)
        let d = try Dense(inputShape: [4, 3], units: 5, activation: .tanh, rng: &rng)
        XCTAssertEqual(d.outputShape, [4, 5])
        GradientCheck().check(d, input: randomTensor([2, 4, 3]))
    }

    func testGlorotUniformBounds() throws {
        var rng = SeededRandom(seed: 3)
        let d = try Dense(inputShape: [784], units: 256, rng: &rng)
        let limit = Float((6.0 / (784.0 + 256.0)).squareRoot())
        let w = d.kernel.value.array
        XCTAssertLessThanOrEqual(w.map(abs).max()!, limit)
        XCTAssertGreaterThan(w.map(abs).max()!, 0.95 * limit)
        XCTAssertEqual(d.bias.value.array.allSatisfy { $0 == 0 }, true)
    }
}
