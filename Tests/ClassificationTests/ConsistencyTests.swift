import XCTest
@testable import Classification
@testable import NeuralNet

final class ConsistencyTests: XCTestCase {
    /// The loss written out directly: (1/B)[Σ_labelled −log p_label + w Σ_unlabelled −Σ_k pA_k log p_k].
    func reference(_ z: [Double], labels: [Int], pA: [Float], classes: Int, weight: Double) -> Double {
        let rows = z.count / classes
        var total = 0.0
        for r in 0..<rows {
            let row = Array(z[(r * classes)..<((r + 1) * classes)])
            let logSum = log(row.map { exp($0) }.reduce(0, +))
            if r < labels.count {
                total -= row[labels[r]] - logSum
            } else {
                let u = r - labels.count
                for k in 0..<classes { total -= weight * Double(pA[u * classes + k]) * (row[k] - logSum) }
            }
        }
        return total / Double(labels.count)
    }

    /// With the targets built, softmax cross-entropy gives the consistency-regularised loss and its
    /// gradient (checked against central finite differences of the loss written out directly).
    func testLossAndGradientMatchTheDefinition() {
        var rng = SeededRandom(seed: 11)
        let classes = 4, labels = [2, 0, 3], unlabelled = 2, weight: Float = 0.7
        var pA = [Float](repeating: 0, count: unlabelled * classes)
        for u in 0..<unlabelled {
            let raw = (0..<classes).map { _ in rng.uniform(0.05, 1) }
            let sum = raw.reduce(0, +)
            for k in 0..<classes { pA[u * classes + k] = raw[k] / sum }
        }
        let rows = labels.count + unlabelled
        let z = Tensor(shape: [rows, classes])
        for i in 0..<z.count { z[i] = rng.uniform(-3, 3) }
        let t = Tensor(), g = Tensor()
        Consistency.targets(labels: labels, targetProbabilities: pA, classes: classes, weight: weight, into: t)
        let loss = SoftmaxCrossEntropy.compute(logits: z, targets: t, grad: g)
        let values = { (0..<z.count).map { Double(z[$0]) } }
        XCTAssertEqual(loss, reference(values(), labels: labels, pA: pA, classes: classes, weight: Double(weight)), accuracy: 1e-4)
        let h = 1e-3
        for i in 0..<z.count {
            var plus = values(), minus = values()
            plus[i] += h; minus[i] -= h
            let numeric = (reference(plus, labels: labels, pA: pA, classes: classes, weight: Double(weight))
                - reference(minus, labels: labels, pA: pA, classes: classes, weight: Double(weight))) / (2 * h)
            XCTAssertEqual(Double(g[i]), numeric, accuracy: 1e-4, "element \(i)")
        }
    }

    /// An unlabelled row predicted exactly as its target contributes no gradient.
    func testAgreementHasNoGradient() {
        let classes = 3
        let z = Tensor(shape: [2, classes], values: [1, 2, 3, 0.5, -1, 2])
        var p = [Float](repeating: 0, count: classes)
        SoftmaxCrossEntropy.probabilities(z.ptr + classes, rows: 1, classes: classes, into: &p)
        let t = Tensor(), g = Tensor()
        Consistency.targets(labels: [1], targetProbabilities: p, classes: classes, weight: 2, into: t)
        _ = SoftmaxCrossEntropy.compute(logits: z, targets: t, grad: g)
        for k in 0..<classes { XCTAssertEqual(g[classes + k], 0, accuracy: 1e-6) }
    }
}
