import XCTest
@testable import NeuralNet

/// A plain LSTM, one sample and one step at a time, in Double, written straight from the
/// Keras definition (gates i, f, c, o along the 4u axis). Returns [N, T, u] in processing
/// order with `returnSequences`, else [N, u].
func referenceLSTM(_ x: Tensor, kernel: [Float], recurrent: [Float], bias: [Float], units u: Int,
                   returnSequences: Bool, goBackwards: Bool) -> [Float] {
    let n = x.shape[0], steps = x.shape[1], features = x.shape[2]
    func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
    var result = [Float]()
    for b in 0..<n {
        var h = [Double](repeating: 0, count: u), c = [Double](repeating: 0, count: u)
        let order = goBackwards ? Array((0..<steps).reversed()) : Array(0..<steps)
        for t in order {
            var z = bias.map(Double.init)
            for k in 0..<(4 * u) {
                for f in 0..<features { z[k] += Double(x[(b * steps + t) * features + f]) * Double(kernel[f * 4 * u + k]) }
                for r in 0..<u { z[k] += h[r] * Double(recurrent[r * 4 * u + k]) }
            }
            for j in 0..<u {
                let i = sigmoid(z[j]), f = sigmoid(z[u + j]), g = tanh(z[2 * u + j]), o = sigmoid(z[3 * u + j])
                c[j] = f * c[j] + i * g
                h[j] = o * tanh(c[j])
            }
            if returnSequences { result += h.map(Float.init) }
        }
        if !returnSequences { result += h.map(Float.init) }
    }
    return result
}

final class LSTMTests: XCTestCase {
    func testShapesAndParameterNames() throws {
        var rng = SeededRandom(seed: 0)
        let seq = try LSTM(inputShape: [28, 28], units: 8, returnSequences: true, paramPrefix: "forward_", rng: &rng)
        XCTAssertEqual(seq.outputShape, [28, 8])
        XCTAssertEqual(seq.parameterCount, 4 * 8 * (28 + 8 + 1))
        XCTAssertEqual(seq.parameters.map(\.name), ["forward_kernel", "forward_recurrent_kernel", "forward_bias"])
        XCTAssertEqual(seq.parameters.map(\.value.shape), [[28, 32], [8, 32], [32]])
        let last = try LSTM(inputShape: [5, 3], units: 4, returnSequences: false, rng: &rng)
        XCTAssertEqual(last.outputShape, [4])
        XCTAssertEqual(last.parameters.map(\.name), ["kernel", "recurrent_kernel", "bias"])
        XCTAssertThrowsError(try LSTM(inputShape: [28], units: 8, returnSequences: true, rng: &rng))
        XCTAssertThrowsError(try LSTM(inputShape: [28, 28], units: 0, returnSequences: true, rng: &rng))
    }

    func testUnitForgetBias() throws {
        var rng = SeededRandom(seed: 1)
        let l = try LSTM(inputShape: [4, 3], units: 3, returnSequences: true, rng: &rng)
        // Blocks i, f, c, o: only the forget block starts at 1.
        XCTAssertEqual(l.bias.value.array, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    }

    func testOneStepOneUnitByHand() throws {
        var rng = SeededRandom(seed: 2)
        let l = try LSTM(inputShape: [1, 1], units: 1, returnSequences: false, rng: &rng)
        l.kernel.value.copy(from: Tensor(shape: [1, 4], values: [0.5, -1, 0.25, 1]))
        // The recurrent kernel never acts on the first step (h0 = 0), nor f (c0 = 0).
        let y = l.forward(Tensor(shape: [1, 1, 1], values: [2]), training: false)
        // x = 2, bias [0, 1, 0, 0]:
        // i = σ(1) = 0.7310586, f = σ(−2 + 1) = 0.2689414, c̃ = tanh(0.5) = 0.4621172, o = σ(2) = 0.8807971
        // c = f·0 + i·c̃ = 0.3378347, h = o·tanh(c) = 0.8807971 · 0.3255429 = 0.2867373
        XCTAssertEqual(y.shape, [1, 1])
        XCTAssertEqual(y[0], 0.2867373, accuracy: 1e-6)
    }

    func testForwardMatchesReference() throws {
        var rng = SeededRandom(seed: 3)
        let x = randomTensor([2, 5, 3], seed: 4)
        for (sequences, backwards) in [(true, false), (false, false), (true, true), (false, true)] {
            let l = try LSTM(inputShape: [5, 3], units: 3, returnSequences: sequences, goBackwards: backwards, rng: &rng)
            // Non-zero bias everywhere so every block's bias is exercised.
            for k in 0..<12 { l.bias.value[k] += rng.uniform(-0.5, 0.5) }
            let y = l.forward(x, training: false)
            XCTAssertEqual(y.shape, sequences ? [2, 5, 3] : [2, 3])
            let expected = referenceLSTM(x, kernel: l.kernel.value.array, recurrent: l.recurrentKernel.value.array,
                                         bias: l.bias.value.array, units: 3,
                                         returnSequences: sequences, goBackwards: backwards)
            assertClose(y.array, expected)
        }
    }

    func testGoBackwardsIsForwardOnReversedInputInProcessingOrder() throws {
        var rng = SeededRandom(seed: 5)
        let backward = try LSTM(inputShape: [4, 3], units: 3, returnSequences: true, goBackwards: true, rng: &rng)
        let forward = try LSTM(inputShape: [4, 3], units: 3, returnSequences: true, rng: &rng)
        for (p, q) in zip(forward.parameters, backward.parameters) { p.value.copy(from: q.value) }
        let x = randomTensor([2, 4, 3], seed: 6)
        let reversed = Tensor(shape: x.shape)
        for b in 0..<2 { for t in 0..<4 { for f in 0..<3 { reversed[(b * 4 + t) * 3 + f] = x[(b * 4 + 3 - t) * 3 + f] } } }
        let yb = backward.forward(x, training: false).array
        let yf = forward.forward(reversed, training: false).array
        // Keras returns the go_backwards sequence in processing order, i.e. not re-reversed.
        assertClose(yb, yf, tolerance: 1e-6)
        // And it differs from the forward layer on the original order.
        let plain = forward.forward(x, training: false).array
        XCTAssertGreaterThan(zip(plain, yb).map { abs($0 - $1) }.max()!, 1e-3)
    }

    func testRecurrentKernelHasOrthonormalRows() throws {
        var rng = SeededRandom(seed: 7)
        let l = try LSTM(inputShape: [28, 28], units: 8, returnSequences: true, rng: &rng)
        let w = l.recurrentKernel.value, u = 8, cols = 32
        for r in 0..<u {
            for s in 0..<u {
                var dot: Float = 0
                for k in 0..<cols { dot += w[r * cols + k] * w[s * cols + k] }
                XCTAssertEqual(dot, r == s ? 1 : 0, accuracy: 1e-5, "(Wh·Whᵀ)[\(r), \(s)]")
            }
        }
        let limit = Float((6.0 / (28.0 + 32.0)).squareRoot())
        XCTAssertLessThanOrEqual(l.kernel.value.array.map(abs).max()!, limit)
    }

    func testBuffersAreReusedAcrossBatchSizes() throws {
        var rng = SeededRandom(seed: 8)
        let l = try LSTM(inputShape: [4, 3], units: 3, returnSequences: true, rng: &rng)
        _ = l.forward(randomTensor([5, 4, 3], seed: 9), training: true)
        let x = randomTensor([2, 4, 3], seed: 10)
        let y = l.forward(x, training: true).array
        let expected = referenceLSTM(x, kernel: l.kernel.value.array, recurrent: l.recurrentKernel.value.array,
                                     bias: l.bias.value.array, units: 3, returnSequences: true, goBackwards: false)
        assertClose(y, expected)
    }

    func testFastTanhAgreesWithTanh() {
        var worst = 0.0
        for k in -40_000...40_000 {
            let x = Float(k) * 2.5e-4  // [−10, 10], both branches and the switch at 0.125
            let exact = tanh(Double(x))
            worst = max(worst, abs(Double(fastTanh(x)) - exact) / max(abs(exact), 1e-30))
        }
        XCTAssertLessThan(worst, 1e-6)
        XCTAssertEqual(fastTanh(0), 0)
        XCTAssertEqual(fastTanh(1e-20), 1e-20)
        XCTAssertEqual(fastTanh(100), 1)
        XCTAssertEqual(fastTanh(-100), -1)
    }

    func testFastExpAndSigmoidAgreeWithLibm() {
        var worstExp = 0.0, worstSigmoid = 0.0
        for k in -40_000...40_000 {
            let x = Float(k) * 2e-3  // [−80, 80]
            let e = exp(Double(x))
            worstExp = max(worstExp, abs(Double(fastExp(x)) - e) / e)
            let s = 1 / (1 + exp(-Double(x)))
            worstSigmoid = max(worstSigmoid, abs(Double(fastSigmoid(x)) - s) / s)
        }
        XCTAssertLessThan(worstExp, 5e-7)
        XCTAssertLessThan(worstSigmoid, 5e-7)
        XCTAssertEqual(fastSigmoid(-1000), 0, accuracy: 1e-37)
        XCTAssertEqual(fastSigmoid(1000), 1)
        XCTAssertEqual(fastExp(0), 1)
    }

    func testGradientsReturnSequences() throws {
        var rng = SeededRandom(seed: 11)
        let l = try LSTM(inputShape: [5, 3], units: 3, returnSequences: true, rng: &rng)
        GradientCheck().check(l, input: randomTensor([2, 5, 3], seed: 12))
    }

    func testGradientsLastStep() throws {
        var rng = SeededRandom(seed: 13)
        let l = try LSTM(inputShape: [5, 3], units: 3, returnSequences: false, rng: &rng)
        GradientCheck().check(l, input: randomTensor([2, 5, 3], seed: 14))
    }

    func testGradientsGoBackwards() throws {
        var rng = SeededRandom(seed: 15)
        for sequences in [true, false] {
            let l = try LSTM(inputShape: [4, 3], units: 3, returnSequences: sequences, goBackwards: true, rng: &rng)
            GradientCheck().check(l, input: randomTensor([2, 4, 3], seed: 16))
        }
    }
}
