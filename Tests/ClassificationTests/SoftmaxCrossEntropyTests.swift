import XCTest
@testable import NeuralNet

final class SoftmaxCrossEntropyTests: XCTestCase {
    /// Central finite differences of the mean loss against the analytic dL/dz, for one-hot and
    /// soft targets, with logits spread widely enough that the softmax is far from uniform.
    func testGradientMatchesFiniteDifferences() {
        var rng = SeededRandom(seed: 7)
        let rows = 5, classes = 7
        for soft in [false, true] {
            let z = Tensor(shape: [rows, classes]), t = Tensor(shape: [rows, classes])
            for i in 0..<z.count { z[i] = rng.uniform(-4, 4) }
            for r in 0..<rows {
                if soft {
                    var sum: Float = 0
                    for k in 0..<classes { let v = rng.uniform(0, 1); t[r * classes + k] = v; sum += v }
                    for k in 0..<classes { t[r * classes + k] /= sum }
                } else {
                    t[r * classes + Int(rng.next() % UInt64(classes))] = 1
                }
            }
            let g = Tensor()
            _ = SoftmaxCrossEntropy.compute(logits: z, targets: t, grad: g)
            let h: Float = 1e-2
            for i in 0..<z.count {
                let old = z[i]
                z[i] = old + h; let plus = SoftmaxCrossEntropy.compute(logits: z, targets: t)
                z[i] = old - h; let minus = SoftmaxCrossEntropy.compute(logits: z, targets: t)
                z[i] = old
                let numeric = (plus - minus) / (2 * Double(h))
                XCTAssertEqual(Double(g[i]), numeric, accuracy: 1e-3 + 1e-2 * abs(numeric), "element \(i), soft \(soft)")
            }
        }
    }

    func testValuesAgainstTheDefinition() {
        let z = Tensor(shape: [2, 3], values: [1, 2, 3, -1, 0, 5])
        let labels = [2, 0]
        var expected = 0.0
        for r in 0..<2 {
            let row = (0..<3).map { Double(z[r * 3 + $0]) }
            let logSum = log(row.map { exp($0) }.reduce(0, +))
            expected += -(row[labels[r]] - logSum)
        }
        XCTAssertEqual(SoftmaxCrossEntropy.compute(logits: z, labels: labels), expected / 2, accuracy: 1e-5)
        // Through the model loss too.
        let t = Tensor(shape: [2, 3], values: [0, 0, 1, 1, 0, 0])
        XCTAssertEqual(Loss.categoricalCrossentropy.compute(output: z, target: t), expected / 2, accuracy: 1e-5)
    }

    /// Logits of ±1e4 would overflow a naive exp; the loss stays finite and the gradient is p − t.
    func testStableForHugeLogits() {
        let z = Tensor(shape: [2, 3], values: [10_000, 0, -10_000, -10_000, 10_000, 0])
        let g = Tensor()
        let loss = SoftmaxCrossEntropy.compute(logits: z, labels: [0, 0], grad: g)
        XCTAssertTrue(loss.isFinite)
        XCTAssertEqual(loss, 10_000, accuracy: 1)  // the second row is 20,000 nats wrong, the first right
        XCTAssertEqual(g.array, [0, 0, 0, -0.5, 0.5, 0], "the gradient is (p − t)/rows")
        var p = [Float](repeating: 0, count: 6)
        SoftmaxCrossEntropy.probabilities(z.ptr, rows: 2, classes: 3, into: &p)
        XCTAssertEqual(p, [1, 0, 0, 0, 1, 0])
    }

    func testProbabilitiesSumToOne() {
        var rng = SeededRandom(seed: 3)
        let z = (0..<40).map { _ in rng.uniform(-30, 30) }
        var p = [Float](repeating: 0, count: 40)
        SoftmaxCrossEntropy.probabilities(z, rows: 4, classes: 10, into: &p)
        for r in 0..<4 { XCTAssertEqual(p[(r * 10)..<(r * 10 + 10)].reduce(0, +), 1, accuracy: 1e-5) }
    }
}
