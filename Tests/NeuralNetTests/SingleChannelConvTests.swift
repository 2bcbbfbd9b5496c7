import XCTest
@testable import NeuralNet

/// The single-channel direct kernels (a model's first Conv2D) against im2col + GEMM and a
/// naive convolution, and their gradients against finite differences.
final class SingleChannelConvTests: XCTestCase {
    /// (input H, W, filters, kernel, stride, padding) of a Conv2D on one channel.
    static let cases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
        ([28, 28, 1], 10, (5, 5), (2, 2), .same),   // conv preset, first layer
        ([28, 28, 1], 10, (3, 3), (1, 1), .same),   // denoise preset, first layer
        ([9, 11, 1], 16, (4, 2), (1, 1), .same),
        ([9, 11, 1], 3, (3, 3), (2, 3), .valid),
        ([7, 8, 1], 8, (2, 5), (1, 2), .valid),
        ([6, 5, 1], 13, (4, 4), (3, 1), .same),
        ([5, 7, 1], 1, (2, 2), (1, 1), .same),
        ([5, 3, 1], 10, (2, 2), (1, 1), .same),    // ten filters, rows under four pixels
        ([6, 11, 1], 10, (3, 3), (1, 1), .valid),  // ten filters, 9-pixel rows: overlapping last block
    ]

    func testMatchesGEMMPathAndNaiveConvolution() throws {
        var rng = SeededRandom(seed: 31)
        for (i, (shape, filters, k, s, padding)) in Self.cases.enumerated() {
            // linear: dz is dy itself; relu with ten filters: applied inside correlate.
            let activation: Activation = i % 2 == 0 ? .tanh : i == 1 ? .relu : .linear
            let conv = try Conv2D(inputShape: shape, filters: filters, kernelSize: k, strides: s, padding: padding,
                                  activation: activation, rng: &rng)
            for f in 0..<filters { conv.bias.value[f] = 0.3 - 0.05 * Float(f) }
            let batch = shape[0] * shape[1] > 500 ? 5 : 48
            let x = randomTensor([batch] + shape, seed: UInt64(i)), dy = randomTensor([batch] + conv.outputShape, seed: 97)
            for needsDx in [true, false] {
                conv.needsInputGradient = needsDx
                var results: [[Float]] = []
                for direct in [true, false] {
                    conv.useKernels(direct: direct)
                    let y = conv.forward(x, training: true).array
                    let dx = conv.backward(dy).array
                    results.append(y + (needsDx ? dx : []) + conv.kernel.grad.array + conv.bias.grad.array)
                }
                assertClose(results[0], results[1], tolerance: 1e-3)
            }
            conv.useKernels(direct: true)
            let naive = naiveConv2D(x, kernel: conv.kernel.value, bias: conv.bias.value, strides: s, padding: padding)
            let activated = naive.array.map { v -> Float in
                var v = v
                activation.apply(&v, 1)
                return v
            }
            assertClose(conv.forward(x, training: false).array, activated, tolerance: 1e-5)
        }
    }

    func testGradientsOfTheSingleChannelPath() throws {
        var rng = SeededRandom(seed: 32)
        for (k, s, padding) in [((5, 5), (2, 2), Padding.same), ((3, 3), (1, 1), .same), ((3, 2), (2, 1), .valid)] {
            let conv = try Conv2D(inputShape: [6, 7, 1], filters: 10, kernelSize: k, strides: s, padding: padding,
                                  activation: .tanh, rng: &rng)
            GradientCheck().check(conv, input: randomTensor([2, 6, 7, 1]))
        }
    }
}
