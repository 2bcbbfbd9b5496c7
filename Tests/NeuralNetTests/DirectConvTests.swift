import XCTest
@testable import NeuralNet

/// The direct (padded-image, no im2col) kernels against the im2col + GEMM path, on the
/// presets' shapes and on odd ones: every padding, strides 1 and 2, even and odd kernels,
/// batches large enough to run on two threads.
final class DirectConvTests: XCTestCase {
    /// (input H, W, C, kernel, stride, padding) of a conv with one filter.
    static let singleFilterCases: [([Int], (Int, Int), (Int, Int), Padding)] = [
        ([28, 28, 10], (4, 4), (1, 1), .same),   // conv preset, last layer
        ([28, 28, 10], (3, 3), (1, 1), .same),   // denoise preset, last layer
        ([28, 28, 10], (4, 4), (2, 2), .same),   // under the conv preset's Conv2DTranspose
        ([9, 11, 3], (5, 3), (2, 2), .same),
        ([9, 11, 3], (3, 2), (2, 1), .valid),
        ([7, 8, 1], (2, 5), (1, 3), .valid),
        ([6, 5, 17], (3, 3), (1, 1), .same),     // a kernel row longer than 32 floats
    ]

    func testSingleFilterConv2DMatchesGEMMPath() throws {
        var rng = SeededRandom(seed: 21)
        for (i, (shape, k, s, padding)) in Self.singleFilterCases.enumerated() {
            let conv = try Conv2D(inputShape: shape, filters: 1, kernelSize: k, strides: s, padding: padding,
                                  activation: .tanh, rng: &rng)
            conv.bias.value[0] = 0.3
            let batch = shape[0] * shape[1] * shape[2] > 1000 ? 5 : 64
            let x = randomTensor([batch] + shape, seed: UInt64(i)), dy = randomTensor([batch] + conv.outputShape, seed: 99)
            var results: [[Float]] = []
            for direct in [true, false] {
                conv.singleFilterShortcut = direct
                let y = conv.forward(x, training: true).array
                results.append(y + conv.backward(dy).array + conv.kernel.grad.array + conv.bias.grad.array)
            }
            XCTAssertEqual(results[0].count, results[1].count)
            assertClose(results[0], results[1], tolerance: 1e-3)
            XCTAssertNil(results[0].first { !$0.isFinite }, "case \(i)")
        }
    }

    func testSingleChannelConv2DTransposeMatchesGEMMPath() throws {
        var rng = SeededRandom(seed: 22)
        let cases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
            ([14, 14, 1], 10, (4, 4), (2, 2), .same),  // conv preset
            ([28, 28, 1], 10, (3, 3), (1, 1), .same),
            ([5, 6, 1], 3, (3, 3), (2, 2), .valid),
            ([5, 6, 1], 2, (5, 2), (2, 1), .same),
            ([4, 7, 1], 5, (2, 3), (3, 1), .valid),
        ]
        for (i, (shape, filters, k, s, padding)) in cases.enumerated() {
            let t = try Conv2DTranspose(inputShape: shape, filters: filters, kernelSize: k, strides: s,
                                        padding: padding, activation: .relu, rng: &rng)
            for f in 0..<filters { t.bias.value[f] = Float(f) * 0.05 - 0.1 }
            let x = randomTensor([40] + shape, seed: UInt64(i)), dy = randomTensor([40] + t.outputShape, seed: 98)
            var results: [[Float]] = []
            for direct in [true, false] {
                t.singleChannelShortcut = direct
                let y = t.forward(x, training: true).array
                results.append(y + t.backward(dy).array + t.kernel.grad.array + t.bias.grad.array)
            }
            assertClose(results[0], results[1], tolerance: 1e-3)
        }
    }

    func testGradientsSingleChannelConv2DTranspose() throws {
        var rng = SeededRandom(seed: 23)
        for (k, s, padding) in [((4, 4), (2, 2), Padding.same), ((3, 3), (1, 1), .same), ((3, 2), (2, 1), .valid)] {
            let t = try Conv2DTranspose(inputShape: [4, 3, 1], filters: 3, kernelSize: k, strides: s, padding: padding,
                                        activation: .tanh, rng: &rng)
            GradientCheck().check(t, input: randomTensor([2, 4, 3, 1]))
        }
    }
}
