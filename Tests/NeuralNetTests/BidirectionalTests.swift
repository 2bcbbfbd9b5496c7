import XCTest
@testable import NeuralNet

final class BidirectionalTests: XCTestCase {
    /// The chapter's `lstm` preset up to its TimeDistributed(Dense(28)) (252 params, not here).
    func testLSTMPresetShapesAndParameterCounts() throws {
        var rng = SeededRandom(seed: 0)
        let first = try Bidirectional(inputShape: [28, 28], units: 8, returnSequences: true, merge: .sum, rng: &rng)
        XCTAssertEqual(first.outputShape, [28, 8])
        XCTAssertEqual(first.parameterCount, 2_368)  // 2·4·8·(28 + 8 + 1); each direction 1,184
        let second = try Bidirectional(inputShape: first.outputShape, units: 8, returnSequences: true, merge: .sum,
                                       rng: &rng)
        XCTAssertEqual(second.outputShape, [28, 8])
        XCTAssertEqual(second.parameterCount, 1_088)  // 2·4·8·(8 + 8 + 1); each direction 544
        XCTAssertEqual(first.forwardLayer.parameterCount, 1_184)
        XCTAssertEqual(first.parameterCount + second.parameterCount + 8 * 28 + 28, 3_708)
        XCTAssertEqual(first.kind, "Bidirectional")
        XCTAssertEqual(first.parameters.map(\.name), [
            "forward_kernel", "forward_recurrent_kernel", "forward_bias",
            "backward_kernel", "backward_recurrent_kernel", "backward_bias",
        ])
        XCTAssertTrue(first.backwardLayer.goBackwards)
        XCTAssertFalse(first.forwardLayer.goBackwards)
        let concat = try Bidirectional(inputShape: [28, 28], units: 8, returnSequences: true, merge: .concat, rng: &rng)
        XCTAssertEqual(concat.outputShape, [28, 16])
        let lastOnly = try Bidirectional(inputShape: [28, 28], units: 8, returnSequences: false, merge: .concat, rng: &rng)
        XCTAssertEqual(lastOnly.outputShape, [16])
    }

    func testWeightsDrawnForwardLayerFirst() throws {
        var a = SeededRandom(seed: 1), b = SeededRandom(seed: 1)
        let bi = try Bidirectional(inputShape: [4, 3], units: 3, returnSequences: true, merge: .sum, rng: &a)
        let f = try LSTM(inputShape: [4, 3], units: 3, returnSequences: true, rng: &b)
        let r = try LSTM(inputShape: [4, 3], units: 3, returnSequences: true, goBackwards: true, rng: &b)
        XCTAssertEqual(bi.parameters.map(\.value.array), (f.parameters + r.parameters).map(\.value.array))
        XCTAssertEqual(a, b)
    }

    func testSumAndConcatMatchReference() throws {
        let x = randomTensor([2, 5, 3], seed: 2)
        for merge in [Bidirectional.MergeMode.sum, .concat] {
            var rng = SeededRandom(seed: 3)
            let bi = try Bidirectional(inputShape: [5, 3], units: 3, returnSequences: true, merge: merge, rng: &rng)
            let y = bi.forward(x, training: false).array
            func reference(_ l: LSTM) -> [Float] {
                referenceLSTM(x, kernel: l.kernel.value.array, recurrent: l.recurrentKernel.value.array,
                              bias: l.bias.value.array, units: 3, returnSequences: true, goBackwards: l.goBackwards)
            }
            let yf = reference(bi.forwardLayer), yb = reference(bi.backwardLayer)
            var expected = [Float]()
            for b in 0..<2 {
                for t in 0..<5 {
                    // The backward layer's step t (processing order) is input time 4 − t.
                    let f = Array(yf[(b * 5 + t) * 3..<(b * 5 + t + 1) * 3])
                    let r = Array(yb[(b * 5 + 4 - t) * 3..<(b * 5 + 5 - t) * 3])
                    expected += merge == .sum ? zip(f, r).map(+) : f + r
                }
            }
            assertClose(y, expected)
        }
    }

    func testLastStatesAreMergedWithoutReversal() throws {
        var rng = SeededRandom(seed: 4)
        let bi = try Bidirectional(inputShape: [4, 3], units: 3, returnSequences: false, merge: .concat, rng: &rng)
        let x = randomTensor([2, 4, 3], seed: 5)
        let y = bi.forward(x, training: false).array
        let f = bi.forwardLayer.forward(x, training: false).array
        let r = bi.backwardLayer.forward(x, training: false).array
        XCTAssertEqual(y, Array(f[0..<3]) + Array(r[0..<3]) + Array(f[3..<6]) + Array(r[3..<6]))
    }

    func testGradientsSum() throws {
        var rng = SeededRandom(seed: 6)
        let bi = try Bidirectional(inputShape: [5, 3], units: 3, returnSequences: true, merge: .sum, rng: &rng)
        GradientCheck().check(bi, input: randomTensor([2, 5, 3], seed: 7))
    }

    func testGradientsConcat() throws {
        var rng = SeededRandom(seed: 8)
        let bi = try Bidirectional(inputShape: [4, 3], units: 3, returnSequences: true, merge: .concat, rng: &rng)
        GradientCheck().check(bi, input: randomTensor([2, 4, 3], seed: 9))
    }

    func testGradientsLastStatesConcat() throws {
        var rng = SeededRandom(seed: 10)
        let bi = try Bidirectional(inputShape: [4, 3], units: 3, returnSequences: false, merge: .concat, rng: &rng)
        GradientCheck().check(bi, input: randomTensor([2, 4, 3], seed: 11))
    }
}
