import Foundation
import XCTest
@testable import NeuralNet

final class LossTests: XCTestCase {
    /// The logits form shares one exponential between the loss and σ(z): its gradient is
    /// (Activation.sigmoid(z) − t)/N, for both signs and saturated z — to float rounding in
    /// the first eight (VectorMath), exactly in the scalar tail.
    func testLogitsGradientIsSigmoidMinusTarget() {
        let z: [Float] = [-90, -12, -1.5, -0.0, 0, 0.3, 4, 30, 95, -2]
        let t: [Float] = [0, 0.2, 1, 0.5, 0.5, 0, 1, 0.7, 1, 0.1]
        let grad = Tensor()
        _ = Loss.binaryCrossentropy.compute(output: Tensor(shape: [10], values: z), target: Tensor(shape: [10], values: t),
                                            fromLogits: true, grad: grad)
        let expected = zip(z, t).map { (Activation.sigmoid($0) - $1) / 10 }
        for i in 0..<8 { XCTAssertEqual(grad[i], expected[i], accuracy: 1e-7, "z = \(z[i])") }
        XCTAssertEqual(Array(grad.array[8...]), Array(expected[8...]))
    }

    /// A batch big enough for two threads: the same total as the serial sum of the terms.
    func testLogitsLossOnTwoThreadsEqualsTheSerialSum() {
        let n = 300 * 784
        let z = randomTensor([n], seed: 4, low: -8, high: 8), t = randomTensor([n], seed: 5, low: 0, high: 1)
        var expected = 0.0
        for i in 0..<n {
            let zi = Double(z[i])
            expected += max(zi, 0) - zi * Double(t[i]) + Foundation.log1p(Foundation.exp(-abs(zi)))
        }
        let grad = Tensor()
        let loss = Loss.binaryCrossentropy.compute(output: z, target: t, fromLogits: true, grad: grad)
        XCTAssertEqual(loss, expected / Double(n), accuracy: 1e-6 * expected / Double(n))
        for i in [0, n / 2 - 1, n / 2, n - 1] {
            XCTAssertEqual(grad[i], (Activation.sigmoid(z[i]) - t[i]) / Float(n), accuracy: 1e-6 / Float(n))
        }
    }

    func testMeanSquaredErrorByHand() {
        let y = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let t = Tensor(shape: [2, 2], values: [0, 2, 5, 4])
        let g = Tensor()
        // ((1)² + 0 + (−2)² + 0) / 4 = 1.25; gradient 2(y − t)/4.
        XCTAssertEqual(Loss.meanSquaredError.compute(output: y, target: t, grad: g), 1.25, accuracy: 1e-12)
        XCTAssertEqual(g.array, [0.5, 0, -1, 0])
    }

    /// The squares are summed in eight interleaved partial sums (a length that is not a
    /// multiple of 8 exercises the tail): the serial Double sum to its last bits, the same gradient.
    func testMeanSquaredErrorMatchesTheSerialSum() {
        let n = 100 * 784 + 5
        let y = randomTensor([n], seed: 11), t = randomTensor([n], seed: 12, low: 0, high: 1)
        var expected = 0.0
        for i in 0..<n { expected += Double((y[i] - t[i]) * (y[i] - t[i])) }
        let g = Tensor()
        XCTAssertEqual(Loss.meanSquaredError.compute(output: y, target: t, grad: g), expected / Double(n),
                       accuracy: 1e-12 * expected / Double(n))
        XCTAssertEqual(g.array, (0..<n).map { 2 * (y[$0] - t[$0]) * (1 / Float(n)) })
    }

    func testBinaryCrossentropyOnProbabilitiesByHand() {
        let p = Tensor(shape: [1, 2], values: [0.8, 0.25])
        let t = Tensor(shape: [1, 2], values: [1, 0])
        // −(ln 0.8 + ln 0.75)/2
        let expected = -(log(0.8) + log(0.75)) / 2
        XCTAssertEqual(Loss.binaryCrossentropy.compute(output: p, target: t), expected, accuracy: 1e-6)
    }

    func testLogitsFormEqualsProbabilityForm() {
        let z = randomTensor([3, 4], seed: 5, low: -4, high: 4)
        let t = randomTensor([3, 4], seed: 6, low: 0, high: 1)
        let p = z.clone()
        Activation.sigmoid.apply(p.ptr, p.count)
        let a = Loss.binaryCrossentropy.compute(output: z, target: t, fromLogits: true)
        let b = Loss.binaryCrossentropy.compute(output: p, target: t, fromLogits: false)
        XCTAssertEqual(a, b, accuracy: 1e-5)
    }

    func testLogitsFormStaysFiniteWhereProbabilitiesSaturate() {
        // σ(±60) is exactly 0 or 1 in Float32; the logits form still gives the exact loss.
        let z = Tensor(shape: [1, 2], values: [60, -60])
        let t = Tensor(shape: [1, 2], values: [0, 1])
        let loss = Loss.binaryCrossentropy.compute(output: z, target: t, fromLogits: true)
        XCTAssertEqual(loss, 60, accuracy: 1e-4)
    }

    func testGradientsAgainstFiniteDifferences() {
        for (loss, logits) in [(Loss.meanSquaredError, false), (.binaryCrossentropy, true), (.binaryCrossentropy, false)] {
            let y = logits ? randomTensor([2, 5], seed: 7, low: -3, high: 3) : randomTensor([2, 5], seed: 7, low: 0.1, high: 0.9)
            let t = randomTensor([2, 5], seed: 8, low: 0, high: 1)
            let g = Tensor()
            _ = loss.compute(output: y, target: t, fromLogits: logits, grad: g)
            let h: Float = 1e-3
            for i in 0..<y.count {
                let old = y[i]
                y[i] = old + h; let plus = loss.compute(output: y, target: t, fromLogits: logits)
                y[i] = old - h; let minus = loss.compute(output: y, target: t, fromLogits: logits)
                y[i] = old
                XCTAssertEqual(Double(g[i]), (plus - minus) / Double(2 * h), accuracy: 2e-3, "\(loss) logits=\(logits) [\(i)]")
            }
        }
    }
}
