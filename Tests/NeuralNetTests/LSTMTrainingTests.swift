import XCTest
@testable import NeuralNet

/// The blocked training kernel (`LSTMTraining`) against the whole-batch path it replaced
/// (`ColumnLSTMReference`): outputs and every gradient, relative to their scale.
final class LSTMTrainingTests: XCTestCase {
    func assertRelativelyClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(what): element counts", file: file, line: line)
        let scale = b.map(abs).max() ?? 0
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertGreaterThan(scale, 1e-3, "\(what): too small to compare", file: file, line: line)
        XCTAssertLessThanOrEqual(worst, tolerance * scale, "\(what): largest difference", file: file, line: line)
    }

    /// Batches of 1, 37 and 70: one partial block, a full and a partial one, several blocks
    /// (blocks are 32 samples); both directions and both output forms.
    func testMatchesColumnReference() throws {
        var rng = SeededRandom(seed: 30)
        for (steps, features, units) in [(28, 28, 8), (6, 5, 3)] {
            for (sequences, backwards) in [(true, false), (true, true), (false, false), (false, true)] {
                let l = try LSTM(inputShape: [steps, features], units: units, returnSequences: sequences,
                                 goBackwards: backwards, rng: &rng)
                // Larger weights and biases than the initialisers give, so gates saturate too.
                for p in l.parameters { for k in 0..<p.count { p.value[k] = 2 * p.value[k] + rng.uniform(-0.5, 0.5) } }
                for batch in [1, 37, 70] {
                    let x = randomTensor([batch, steps, features], seed: UInt64(batch), low: -2, high: 2)
                    let reference = ColumnLSTMReference(l)
                    let expected = reference.forward(x).array
                    assertRelativelyClose(l.forward(x, training: true).array, expected, "output")
                    let dy = randomTensor([batch] + l.outputShape, seed: UInt64(batch + 1))
                    let expectedDx = reference.backward(dy).array
                    assertRelativelyClose(l.backward(dy).array, expectedDx, "dx")
                    assertRelativelyClose(l.kernel.grad.array, reference.kernelGrad.array, "dWx")
                    assertRelativelyClose(l.recurrentKernel.grad.array, reference.recurrentKernelGrad.array, "dWh")
                    assertRelativelyClose(l.bias.grad.array, reference.biasGrad.array, "db")
                }
            }
        }
    }

    /// Each direction reads its part of the merged gradient in place: the same gradients as
    /// the reference fed the split (and, for the backward layer, time-reversed) gradient.
    func testBidirectionalMatchesColumnReference() throws {
        var rng = SeededRandom(seed: 31)
        let (n, steps, features, u) = (70, 9, 6, 4)
        let x = randomTensor([n, steps, features], seed: 32)
        for merge in [Bidirectional.MergeMode.sum, .concat] {
            for sequences in [true, false] {
                let bi = try Bidirectional(inputShape: [steps, features], units: u, returnSequences: sequences,
                                           merge: merge, rng: &rng)
                for p in bi.parameters { for k in 0..<p.count { p.value[k] += rng.uniform(-0.5, 0.5) } }
                let forward = ColumnLSTMReference(bi.forwardLayer), backward = ColumnLSTMReference(bi.backwardLayer)
                _ = bi.forward(x, training: true)
                _ = forward.forward(x)
                _ = backward.forward(x)
                let dy = randomTensor([n] + bi.outputShape, seed: 33)
                let dx = bi.backward(dy).array
                let positions = sequences ? steps : 1, width = bi.outputShape.last!
                let dyForward = Tensor(shape: [n] + bi.forwardLayer.outputShape)
                let dyBackward = Tensor(shape: dyForward.shape)
                for b in 0..<n {
                    for p in 0..<positions {
                        let reversed = sequences ? positions - 1 - p : p
                        for j in 0..<u {
                            let d = dy[(b * positions + p) * width + j]
                            dyForward[(b * positions + p) * u + j] = d
                            dyBackward[(b * positions + reversed) * u + j] =
                                merge == .sum ? d : dy[(b * positions + p) * width + u + j]
                        }
                    }
                }
                let expectedDx = zip(forward.backward(dyForward).array, backward.backward(dyBackward).array).map(+)
                assertRelativelyClose(dx, expectedDx, "dx")
                for (layer, reference) in [(bi.forwardLayer, forward), (bi.backwardLayer, backward)] {
                    assertRelativelyClose(layer.kernel.grad.array, reference.kernelGrad.array, "dWx")
                    assertRelativelyClose(layer.recurrentKernel.grad.array, reference.recurrentKernelGrad.array, "dWh")
                    assertRelativelyClose(layer.bias.grad.array, reference.biasGrad.array, "db")
                }
            }
        }
    }

    /// A model's first Bidirectional skips dX; its parameter gradients stay the same.
    func testFirstLayerSkipsInputGradientOnly() throws {
        let net = try Sequential(architecture: Presets.lstm, seed: 5)
        let first = try XCTUnwrap(net.layers.first as? Bidirectional)
        XCTAssertFalse(first.needsInputGradient)
        XCTAssertFalse(first.forwardLayer.needsInputGradient)
        XCTAssertFalse(first.backwardLayer.needsInputGradient)
        XCTAssertTrue((net.layers[1] as? Bidirectional)?.needsInputGradient ?? false)
        let x = randomTensor([40, 28, 28], seed: 6, low: 0, high: 1)
        let dy = randomTensor([40, 28, 8], seed: 7)
        _ = first.forward(x, training: true)
        _ = first.backward(dy)
        let skipped = first.parameters.map(\.grad.array)
        first.needsInputGradient = true
        _ = first.forward(x, training: true)
        _ = first.backward(dy)
        XCTAssertEqual(first.parameters.map(\.grad.array), skipped)
    }

    /// The training cell's shared divisions against the textbook formula, saturated gates
    /// included (all four at −100 is the largest product of denominators). As for the inference
    /// cell, σ(z) for z < −29 is σ(−29) ≈ 2.5e-13, inside the absolute floor.
    func testTrainingCellMatchesSigmoidAndTanh() {
        let values: [Float] = [-100, -40, -12, -3, -0.7, -0.1, -1e-3, 0, 2e-4, 0.05, 0.9, 4, 15, 35, 100]
        var worst: Float = 0
        for zi in values {
            for zf in values {
                for zg in values {
                    for (zo, c) in [(values[0], -2.5 as Float), (values[3], 0.01), (values[8], 0.3), (values[13], 7)] {
                        let (i, f, g, o) = (fastSigmoid(zi), fastSigmoid(zf), fastTanh(zg), fastSigmoid(zo))
                        let cRef = f * c + i * g, tanhRef = fastTanh(cRef)
                        let cell = LSTMCellMath.trainingCell(i: zi, f: zf, g: zg, o: zo, c: c)
                        XCTAssertTrue([cell.i, cell.f, cell.g, cell.o, cell.c, cell.tanhC, cell.h].allSatisfy(\.isFinite))
                        // c carries the rounding of its two terms when they cancel, and tanh(c) with it.
                        let scale = abs(f * c) + abs(i * g) + 1e-5
                        worst = max(worst, abs(cell.i - i) / (i + 1e-5), abs(cell.f - f) / (f + 1e-5),
                                    abs(cell.g - g) / (abs(g) + 1e-5), abs(cell.o - o) / (o + 1e-5),
                                    abs(cell.c - cRef) / scale, abs(cell.tanhC - tanhRef) / (abs(tanhRef) + scale),
                                    abs(cell.h - o * tanhRef) / (abs(o * tanhRef) + o * scale + 1e-5))
                    }
                }
            }
        }
        XCTAssertLessThan(worst, 1e-6)
    }
}
