import DataIO
import Foundation
import NeuralNet
import XCTest
@testable import Classification

final class LabelPropagationTests: XCTestCase {
    /// Four points in the plane, k = 1, γ = 1, α = ½, one step, worked by hand:
    /// cosines 0·1 0.8, 1·3 0.96, 2·3 0.8, 0·3 0.6, 1·2 0.6, 0·2 0; nearest: 0→1, 1→3, 2→3, 3→1.
    /// W = A + Aᵀ: w01 = 0.8, w13 = 1.92, w23 = 0.8; degrees 0.8, 2.72, 0.8, 2.72.
    /// Seeds: node 0 class 0, node 2 class 1. F = ½ S Y + ½ Y.
    func testTinyGraphByHand() {
        let points: [Float] = [1, 0, 0.8, 0.6, 0, 1, 0.6, 0.8]
        let g = LabelPropagation.neighbours(features: points.map { $0 * 3 }, count: 4, dimension: 2, k: 1)
        XCTAssertEqual(g.indices, [1, 3, 3, 1])
        for (s, e) in zip(g.similarities, [0.8, 0.96, 0.8, 0.96] as [Float]) { XCTAssertEqual(s, e, accuracy: 1e-6) }
        let f = LabelPropagation.propagate(g, seeds: [(0, 0), (2, 1)], classes: 2, alpha: 0.5, gamma: 1, iterations: 1)
        let s = Float(0.8 / (0.8 * 2.72).squareRoot())
        let expected: [Float] = [0.5, 0, 0.5 * s, 0, 0, 0.5, 0, 0.5 * s]
        for (a, e) in zip(f, expected) { XCTAssertEqual(a, e, accuracy: 1e-6) }
        let d = LabelPropagation.decisions(f, classes: 2)
        XCTAssertEqual(d.map(\.label), [0, 0, 1, 1])
        XCTAssertEqual(d.map(\.confidence), [1, 1, 1, 1])
        XCTAssertEqual(LabelPropagation.decisions([0, 0], classes: 2)[0].confidence, 0, "a row nothing reached")
    }

    /// 300 random points, k = 7, against brute force (neighbours) and the dense matrix form in
    /// double precision (propagation); the same bytes on 1 and 3 threads.
    func testAgainstDenseReferenceAndThreads() {
        var rng = SeededRandom(seed: 5)
        let n = 300, dim = 12, k = 7, classes = 3
        let x = (0..<(n * dim)).map { _ in Float(rng.next() % 1000) / 1000 - 0.3 }
        let g = LabelPropagation.neighbours(features: x, count: n, dimension: dim, k: k)
        let g3 = LabelPropagation.neighbours(features: x, count: n, dimension: dim, k: k, parallelism: Parallelism(parts: 3))
        XCTAssertEqual(g, g3)
        func cosine(_ i: Int, _ j: Int) -> Double {
            var ab = 0.0, aa = 0.0, bb = 0.0
            for d in 0..<dim {
                let a = Double(x[i * dim + d]), b = Double(x[j * dim + d])
                ab += a * b; aa += a * a; bb += b * b
            }
            return ab / (aa * bb).squareRoot()
        }
        for i in 0..<n {
            let brute = (0..<n).filter { $0 != i }.sorted { cosine(i, $0) > cosine(i, $1) }
            // The k-th may tie in float with the next: compare the similarities, and the indices where clear.
            for q in 0..<k { XCTAssertEqual(Double(g.similarities[i * k + q]), cosine(i, brute[q]), accuracy: 1e-5) }
            XCTAssertEqual(Set(g.indices[(i * k)..<(i * k + k - 1)].map(Int.init)).count, k - 1)
        }
        let seeds = (0..<15).map { (node: $0 * 20, label: $0 % classes) }
        let alpha: Float = 0.9, iterations = 15
        let f = LabelPropagation.propagate(g, seeds: seeds, classes: classes, alpha: alpha, iterations: iterations)
        let f3 = LabelPropagation.propagate(g, seeds: seeds, classes: classes, alpha: alpha, iterations: iterations,
                                            parallelism: Parallelism(parts: 3))
        XCTAssertEqual(f, f3)
        var w = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for q in 0..<k {
                let j = Int(g.indices[i * k + q]), v = pow(max(0, Double(g.similarities[i * k + q])), 3)
                w[i * n + j] += v; w[j * n + i] += v
            }
        }
        let degree = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + w[i * n + $1] } }
        var y = [Double](repeating: 0, count: n * classes)
        for s in seeds { y[s.node * classes + s.label] = 1 }
        var ref = y
        for _ in 0..<iterations {
            var next = y.map { (1 - Double(alpha)) * $0 }
            for i in 0..<n where degree[i] > 0 {
                for j in 0..<n where w[i * n + j] > 0 {
                    let s = w[i * n + j] / (degree[i] * degree[j]).squareRoot()
                    for c in 0..<classes { next[i * classes + c] += Double(alpha) * s * ref[j * classes + c] }
                }
            }
            ref = next
        }
        for (a, e) in zip(f, ref) { XCTAssertEqual(Double(a), e, accuracy: 1e-5) }
    }

    /// A short fine-tune gives byte-identical weights on 1 and 2 threads, with the classifier's
    /// pseudo-labels and with propagated ones (the recipe's).
    func testFineTuneWithPropagationIsThreadIndependent() throws {
        let fixtures = ClassifierTests.fixtures
        let train = try Dataset.loadIDX(images: fixtures.appendingPathComponent("train-images-idx3-ubyte.gz").path,
                                        labels: fixtures.appendingPathComponent("train-labels-idx1-ubyte.gz").path)
        let labelled = PretrainBenchmark.gather(train, PretrainBenchmark.subset(labels: train.labels!, range: 0..<train.count,
                                                                                perClass: 10, classes: 10, seed: 0))
        var options = FineTune.recipe(scratch: true)
        XCTAssertGreaterThan(options.propagationNeighbours, 0, "the recipe propagates")
        options.steps = 30
        options.rounds = 2
        options.roundSteps = 30
        options.pseudoPerClass = [50]
        for neighbours in [0, 10] {
            options.propagationNeighbours = neighbours
            var weights: [[Float]] = []
            var records: [FineTuneRecord] = []
            for parts in [1, 2] {
                let model = try Sequential(architecture: try ClassifierArchitecture.make(from: Presets.dense, classes: 10), seed: 0,
                                           parallelism: Parallelism(parts: parts))
                let job = FineTune(model: model, classes: 10, height: 28, width: 28, channels: 1, options: options)
                let (t, v) = FineTune.split(labelled, fraction: 0.1, seed: 0)
                var record = job.run(labelled: t, validation: v, unlabelled: train.images)
                record.seconds = 0
                records.append(record)
                weights.append(model.parameters.flatMap { Array(UnsafeBufferPointer(start: $0.value.ptr, count: $0.count)) })
            }
            XCTAssertEqual(records[0], records[1])
            let d = zip(weights[0], weights[1]).map { abs($0 - $1) }.max()!
            XCTAssert(weights[0] == weights[1], "neighbours \(neighbours): max difference \(d)")
        }
    }

    /// Pseudo-labels: the most confident of each class, positions ascending; ties by position.
    func testPseudoLabelsPerClass() {
        let d: [(label: Int, confidence: Float)] = [(0, 0.5), (1, 0.9), (0, 0.7), (1, 0.9), (0, 0.7), (1, 0.1)]
        let (chosen, labels) = FineTune.pseudoLabels(d, classes: 2, perClass: 2)
        XCTAssertEqual(chosen, [1, 2, 3, 4])
        XCTAssertEqual(labels, [1, 0, 1, 0])
    }
}
