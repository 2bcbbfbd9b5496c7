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

    /// Layers big enough for both cores: at 100 rows the forward splits Y's columns, at 1,000
    /// its rows; backward runs dW beside dX. Outputs and gradients against direct sums in Double.
    func testTwoCorePathsMatchDirectSums() throws {
        var rng = SeededRandom(seed: 4)
        for (m, activation) in [(100, Activation.relu), (1000, .linear), (100, .sigmoid)] {
            let d = try Dense(inputShape: [97], units: 111, activation: activation, rng: &rng)
            d.bias.value.copy(from: randomTensor([111], seed: 5, low: -0.5, high: 0.5))
            let x = randomTensor([m, 97], seed: 6), dy = randomTensor([m, 111], seed: 7)
            let y = d.forward(x, training: true).clone()
            let dx = d.backward(dy).clone()
            let reference = DirectDense(d, x)
            assertRelativelyClose(y.array, reference.output, "y at \(m) rows")
            let dz = reference.outputGradient(dy, y)
            assertRelativelyClose(d.kernel.grad.array, reference.kernelGradient(dz), "dW at \(m) rows")
            assertRelativelyClose(d.bias.grad.array, reference.biasGradient(dz), "db at \(m) rows")
            assertRelativelyClose(dx.array, reference.inputGradient(dz), "dX at \(m) rows")
        }
    }

    /// A first layer skips dX and splits dW's rows between the cores: same dW and db.
    func testWithoutInputGradientSameParameterGradients() throws {
        var rng = SeededRandom(seed: 8)
        let d = try Dense(inputShape: [97], units: 111, activation: .relu, rng: &rng)
        let x = randomTensor([100, 97], seed: 9), dy = randomTensor([100, 111], seed: 10)
        var grads: [[Float]] = []
        for needed in [true, false] {
            d.needsInputGradient = needed
            _ = d.forward(x, training: true)
            _ = d.backward(dy)
            grads.append(d.kernel.grad.array + d.bias.grad.array)
        }
        assertRelativelyClose(grads[1], grads[0].map(Double.init), "dW and db")
    }

    func testFirstDenseLayerOfAModelSkipsInputGradient() throws {
        let model = try Sequential(architecture: Presets.named("dense"), seed: 0)
        XCTAssertEqual(model.layers.map { ($0 as? Dense)?.needsInputGradient }, [false, true, true, true])
    }

    private func assertRelativelyClose(_ actual: [Float], _ expected: [Double], _ what: String,
                                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        let scale = max(expected.map(abs).max() ?? 0, 1e-6)
        let worst = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
        XCTAssertLessThan(worst / scale, 1e-5, what, file: file, line: line)
    }
}

/// Dense's arithmetic written out as plain sums in Double, the reference for its GEMM paths.
private struct DirectDense {
    let x: [Float], w: [Float], b: [Float], rows: Int, inputs: Int, units: Int, activation: Activation

    init(_ d: Dense, _ x: Tensor) {
        self.x = x.array
        w = d.kernel.value.array
        b = d.bias.value.array
        inputs = d.inputShape.last!
        units = d.outputShape.last!
        rows = x.count / inputs
        activation = d.activation
    }

    var output: [Double] {
        var y = [Double](repeating: 0, count: rows * units)
        for r in 0..<rows {
            for j in 0..<units {
                var z = Double(b[j])
                for i in 0..<inputs { z += Double(x[r * inputs + i]) * Double(w[i * units + j]) }
                var f = Float(z)
                activation.apply(&f, 1)
                y[r * units + j] = Double(f)
            }
        }
        return y
    }

    /// dZ through the activation, from the layer's own output (so ReLU's mask is the layer's).
    func outputGradient(_ dy: Tensor, _ y: Tensor) -> [Double] {
        var dz = [Float](repeating: 0, count: dy.count)
        activation.backward(dy: dy.ptr, y: y.ptr, dx: &dz, dy.count)
        return dz.map(Double.init)
    }

    func kernelGradient(_ dz: [Double]) -> [Double] {
        var dw = [Double](repeating: 0, count: inputs * units)
        for r in 0..<rows { for i in 0..<inputs { for j in 0..<units {
            dw[i * units + j] += Double(x[r * inputs + i]) * dz[r * units + j]
        } } }
        return dw
    }

    func biasGradient(_ dz: [Double]) -> [Double] {
        var db = [Double](repeating: 0, count: units)
        for r in 0..<rows { for j in 0..<units { db[j] += dz[r * units + j] } }
        return db
    }

    func inputGradient(_ dz: [Double]) -> [Double] {
        var dx = [Double](repeating: 0, count: rows * inputs)
        for r in 0..<rows { for i in 0..<inputs { for j in 0..<units {
            dx[r * inputs + i] += dz[r * units + j] * Double(w[i * units + j])
        } } }
        return dx
    }
}
