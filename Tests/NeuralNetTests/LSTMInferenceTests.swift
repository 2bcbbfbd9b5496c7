import XCTest
@testable import NeuralNet

/// The tape-free inference forward (`training: false`) against the training forward, which
/// the gradient checks and the Double reference already pin down.
final class LSTMInferenceTests: XCTestCase {
    /// max |a − b| ≤ tolerance · max |b|: relative to the outputs' scale, since single
    /// outputs near 0 carry the absolute rounding of the sums they come from.
    func assertRelativelyClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "element counts", file: file, line: line)
        let scale = b.map(abs).max() ?? 0
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertGreaterThan(scale, 0.05, "outputs too small to compare", file: file, line: line)
        XCTAssertLessThanOrEqual(worst, tolerance * scale, "largest difference", file: file, line: line)
    }

    /// Batches of 1, 37 and 70 samples: one partial block, a full block plus a partial one,
    /// and several blocks (blocks are 32 samples); both directions, both output forms.
    func testInferenceMatchesTrainingForward() throws {
        var rng = SeededRandom(seed: 20)
        for (steps, features, units) in [(28, 28, 8), (6, 5, 3)] {
            for (sequences, backwards) in [(true, false), (true, true), (false, false), (false, true)] {
                let l = try LSTM(inputShape: [steps, features], units: units, returnSequences: sequences,
                                 goBackwards: backwards, rng: &rng)
                // Larger weights and biases than the initialisers give, so gates saturate too.
                for p in l.parameters { for k in 0..<p.count { p.value[k] = 3 * p.value[k] + rng.uniform(-1, 1) } }
                for batch in [1, 37, 70] {
                    let x = randomTensor([batch, steps, features], seed: UInt64(batch), low: -2, high: 2)
                    let trained = l.forward(x, training: true).array
                    let inferred = l.forward(x, training: false)
                    XCTAssertEqual(inferred.shape, [batch] + l.outputShape)
                    assertRelativelyClose(inferred.array, trained)
                }
            }
        }
    }

    /// Both merges and output forms, on a batch large enough to be split over two threads
    /// and into several blocks per thread, where the backward direction merges into the output
    /// as it goes.
    func testBidirectionalInferenceMatchesTrainingForward() throws {
        var rng = SeededRandom(seed: 21)
        let x = randomTensor([70, 28, 28], seed: 22)
        for merge in [Bidirectional.MergeMode.sum, .concat] {
            for sequences in [true, false] {
                let bi = try Bidirectional(inputShape: [28, 28], units: 8, returnSequences: sequences, merge: merge,
                                           rng: &rng)
                for p in bi.parameters { for k in 0..<p.count { p.value[k] += rng.uniform(-0.5, 0.5) } }
                let trained = bi.forward(x, training: true).array
                let inferred = bi.forward(x, training: false)
                XCTAssertEqual(inferred.shape, [70] + bi.outputShape)
                assertRelativelyClose(inferred.array, trained)
            }
        }
    }

    func testLSTMPresetPredictMatchesTrainingForward() throws {
        let net = try Sequential(architecture: Presets.lstm, seed: 3)
        let x = randomTensor([45, 28, 28], seed: 4, low: 0, high: 1)
        let trained = net.forwardRaw(x, training: true).array
        assertRelativelyClose(net.predict(x).array, trained)
    }

    /// The cell with its shared divisions against the textbook formula on fastSigmoid and
    /// fastTanh, over saturated and near-zero pre-activations alike. Errors are relative to the
    /// size of c's two terms: when they cancel, c carries their rounding, in either form. The
    /// floor 1e-5 covers σ(z) for z < −29, which the cell takes as σ(−29) ≈ 2.5e-13.
    func testCellMathMatchesSigmoidAndTanh() {
        let values: [Float] = [-100, -40, -12, -3, -0.7, -0.1, -1e-3, 0, 2e-4, 0.05, 0.124, 0.126, 0.9, 4, 15, 35, 100]
        var worst: Float = 0
        for zi in values {
            for zf in values {
                for zg in values {
                    for (zo, c) in [(values[3], -2.5 as Float), (values[8], 0.01), (values[12], 0.3), (values[14], 7)] {
                        let keep = fastSigmoid(zf) * c, add = fastSigmoid(zi) * fastTanh(zg)
                        let cRef = keep + add, hRef = fastSigmoid(zo) * fastTanh(cRef)
                        let scale = abs(keep) + abs(add) + 1e-5
                        let (cNew, h) = LSTMCellMath.cell(i: zi, f: zf, g: zg, o: zo, c: c)
                        worst = max(worst, abs(cNew - cRef) / scale,
                                    abs(h - hRef) / (abs(hRef) + fastSigmoid(zo) * scale))
                    }
                }
            }
        }
        XCTAssertLessThan(worst, 1e-6)
    }

    func testTanhQuotientAgreesWithTanh() {
        var worst = 0.0
        for k in -40_000...40_000 {
            let x = Float(k) * 2.5e-4  // [−10, 10], tiny values included
            let (numerator, denominator) = LSTMCellMath.tanhQuotient(x)
            let exact = tanh(Double(x))
            worst = max(worst, abs(Double(numerator / denominator) - exact) / max(abs(exact), 1e-30))
        }
        XCTAssertLessThan(worst, 1e-6)
        for x: Float in [0, 1e-20, -1e-20, 100, -100] {
            let (numerator, denominator) = LSTMCellMath.tanhQuotient(x)
            XCTAssertEqual(numerator / denominator, fastTanh(x), "tanh(\(x))")
        }
    }

    func testExpAndExpm1AgreeWithLibmWithinTheirRange() {
        var worstExp = 0.0, worstExpm1 = 0.0
        for k in -86_999...28_999 {  // inside the clamps: Float(-87_000) * 1e-3 is a little below −87
            let x = Float(k) * 1e-3
            let exact = exp(Double(x))
            worstExp = max(worstExp, abs(Double(LSTMCellMath.exp(x)) - exact) / exact)
            guard x < 0 else { continue }
            let exactM1 = expm1(Double(x))
            worstExpm1 = max(worstExpm1, abs(Double(LSTMCellMath.expm1OfNonPositive(x)) - exactM1) / -exactM1)
        }
        XCTAssertLessThan(worstExp, 1.5e-7)
        XCTAssertLessThan(worstExpm1, 1.5e-7)
        XCTAssertEqual(LSTMCellMath.exp(100), LSTMCellMath.exp(29))
        XCTAssertEqual(LSTMCellMath.expm1OfNonPositive(-1e-20), -1e-20)
    }
}
