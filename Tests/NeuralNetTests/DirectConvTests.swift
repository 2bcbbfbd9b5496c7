import XCTest
@testable import NeuralNet

/// The direct (padded-image, no im2col) kernels against the im2col + GEMM path and a naive
/// convolution, on the presets' shapes and on odd ones: every padding, strides 1 to 3, even
/// and odd kernels, batches large enough to run on two threads.
final class DirectConvTests: XCTestCase {
    /// (input H, W, C, filters, kernel, stride, padding) of a Conv2D.
    static let conv2DCases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
        ([28, 28, 10], 1, (4, 4), (1, 1), .same),   // conv preset, last layer
        ([28, 28, 10], 1, (3, 3), (1, 1), .same),   // denoise preset, last layer
        ([28, 28, 10], 10, (3, 3), (1, 1), .same),  // under the denoise preset's Conv2DTranspose
        ([9, 11, 4], 3, (5, 3), (2, 2), .same),
        ([9, 11, 5], 1, (3, 2), (2, 1), .valid),
        ([7, 8, 6], 16, (2, 5), (1, 3), .valid),
        ([6, 5, 17], 2, (3, 3), (1, 1), .same),     // a kernel row longer than 32 floats
    ]

    func testConv2DMatchesGEMMPathAndNaiveConvolution() throws {
        var rng = SeededRandom(seed: 21)
        for (i, (shape, filters, k, s, padding)) in Self.conv2DCases.enumerated() {
            let conv = try Conv2D(inputShape: shape, filters: filters, kernelSize: k, strides: s, padding: padding,
                                  activation: .tanh, rng: &rng)
            for f in 0..<filters { conv.bias.value[f] = 0.3 - 0.05 * Float(f) }
            let batch = shape[0] * shape[1] * shape[2] > 1000 ? 4 : 48
            let x = randomTensor([batch] + shape, seed: UInt64(i)), dy = randomTensor([batch] + conv.outputShape, seed: 99)
            var results: [[Float]] = []
            for direct in [true, false] {
                conv.useKernels(direct: direct)
                let y = conv.forward(x, training: true).array
                results.append(y + conv.backward(dy).array + conv.kernel.grad.array + conv.bias.grad.array)
            }
            assertClose(results[0], results[1], tolerance: 1e-3)
            conv.useKernels(direct: true)
            let naive = naiveConv2D(x, kernel: conv.kernel.value, bias: conv.bias.value, strides: s, padding: padding)
            assertClose(conv.forward(x, training: false).array, naive.array.map { tanh($0) }, tolerance: 1e-5)
        }
    }

    /// One filter (the presets' last layers: dW two kernel rows at a time, dX as the flipped
    /// single-channel conv), odd and even kernels: dW and dX equal the GEMM path's to 1e-5
    /// relative.
    func testSingleFilterGradientsMatchGEMMPath() throws {
        var rng = SeededRandom(seed: 26)
        for (shape, k, padding) in [([28, 28, 10], (4, 4), Padding.same), ([28, 28, 10], (3, 3), .same),
                                    ([9, 7, 5], (5, 2), .valid), ([6, 6, 12], (1, 3), .same)] {
            let conv = try Conv2D(inputShape: shape, filters: 1, kernelSize: k, padding: padding, rng: &rng)
            XCTAssertNotNil(conv.singleFilterInputGradient)
            let x = randomTensor([6] + shape, seed: 5), dy = randomTensor([6] + conv.outputShape, seed: 6)
            var results: [[Float]] = []
            // dX as the flipped single-channel conv, as the scatter, and the GEMM path.
            for (direct, flipped) in [(true, true), (true, false), (false, false)] {
                conv.useKernels(direct: direct, singleFilterInputGradient: flipped)
                _ = conv.forward(x, training: true)
                results.append(conv.backward(dy).array + conv.kernel.grad.array)
            }
            let scale = results[2].map { abs($0) }.max() ?? 1
            assertClose(results[0], results[2], tolerance: 1e-5 * scale)
            assertClose(results[1], results[2], tolerance: 1e-5 * scale)
        }
    }

    func testConv2DTransposeMatchesGEMMPath() throws {
        var rng = SeededRandom(seed: 22)
        let cases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
            ([14, 14, 1], 10, (4, 4), (2, 2), .same),   // conv preset
            ([28, 28, 10], 10, (3, 3), (1, 1), .same),  // denoise preset
            ([5, 6, 1], 4, (3, 3), (2, 2), .valid),
            ([5, 6, 3], 5, (5, 2), (2, 1), .same),
            ([4, 7, 12], 6, (2, 3), (3, 1), .valid),
        ]
        for (i, (shape, filters, k, s, padding)) in cases.enumerated() {
            let t = try Conv2DTranspose(inputShape: shape, filters: filters, kernelSize: k, strides: s,
                                        padding: padding, activation: .relu, rng: &rng)
            for f in 0..<filters { t.bias.value[f] = Float(f) * 0.05 - 0.1 }
            let batch = shape[0] * shape[1] * shape[2] > 1000 ? 4 : 40
            let x = randomTensor([batch] + shape, seed: UInt64(i)), dy = randomTensor([batch] + t.outputShape, seed: 98)
            var results: [[Float]] = []
            for direct in [true, false] {
                t.useKernels(direct: direct)
                let y = t.forward(x, training: true).array
                results.append(y + t.backward(dy).array + t.kernel.grad.array + t.bias.grad.array)
            }
            assertClose(results[0], results[1], tolerance: 1e-3)
        }
    }

    /// Stride 1: the planar kernels (several channels in and out) and dX as the equivalent
    /// conv's scatter, each against the correlate of padded dZ and the GEMM path, with odd
    /// and even kernels (asymmetric `same` padding) and `valid`.
    func testConv2DTransposeStride1PathsMatch() throws {
        var rng = SeededRandom(seed: 24)
        let cases: [([Int], Int, (Int, Int), Padding)] = [
            ([28, 28, 10], 10, (3, 3), .same),  // denoise preset
            ([6, 7, 5], 4, (2, 2), .same),
            ([5, 6, 3], 6, (3, 4), .same),      // too few input channels for the planar path
            ([4, 5, 6], 7, (3, 2), .valid),
            ([5, 5, 12], 16, (5, 5), .same),
            ([3, 17, 9], 11, (1, 3), .same),    // a row wider than 16 pixels, odd channels
            ([8, 19, 7], 6, (3, 3), .same),     // Winograd: two blocks of four rows, 32-column rows
            ([4, 5, 4], 11, (3, 2), .valid),    // Winograd in dX only (4 rows), three filter groups
        ]
        for (i, (shape, filters, k, padding)) in cases.enumerated() {
            let t = try Conv2DTranspose(inputShape: shape, filters: filters, kernelSize: k, padding: padding,
                                        activation: .relu, rng: &rng)
            XCTAssertNotNil(t.equivalent)
            XCTAssertEqual(t.planar != nil, shape[2] >= 4, "case \(i)")
            if i == 0, let planar = t.planar { XCTAssertTrue(planar.forward.suitsWinograd && planar.backward.suitsWinograd) }
            for f in 0..<filters { t.bias.value[f] = Float(f) * 0.05 - 0.1 }
            let batch = shape[0] * shape[1] * shape[2] > 1000 ? 4 : 40
            let x = randomTensor([batch] + shape, seed: UInt64(i)), dy = randomTensor([batch] + t.outputShape, seed: 97)
            var results: [[Float]] = []
            // (direct, planar, equivalent dX): planar, the scatter dX, the correlate dX, GEMM.
            for (direct, planar, equivalent, winograd) in [(true, true, true, true), (true, true, true, false),
                                                           (true, false, true, true), (true, false, false, true),
                                                           (false, false, false, true)] {
                t.useKernels(direct: direct, planar: planar, winograd: winograd, equivalentInputGradient: equivalent)
                let y = t.forward(x, training: true).array
                results.append(y + t.backward(dy).array + t.kernel.grad.array + t.bias.grad.array)
            }
            let scale = results[4].map { abs($0) }.max() ?? 1
            for r in results.dropLast() { assertClose(r, results[4], tolerance: 1e-5 * scale) }
        }
    }

    /// The planar buffers are reused between images and passes and only their padding is
    /// zeroed: after a pass on other data (leaving nonzero values everywhere) the results
    /// still match the GEMM path.
    func testPlanarPathAfterAnEarlierPassMatches() throws {
        var rng = SeededRandom(seed: 26)
        for (shape, filters, k, padding) in [([28, 28, 10], 10, (3, 3), Padding.same), ([5, 6, 5], 7, (2, 3), .valid)] {
            let t = try Conv2DTranspose(inputShape: shape, filters: filters, kernelSize: k, padding: padding,
                                        activation: .relu, rng: &rng)
            for f in 0..<filters { t.bias.value[f] = Float(f) * 0.05 - 0.1 }
            let x = randomTensor([4] + shape, seed: 5), dy = randomTensor([4] + t.outputShape, seed: 6)
            _ = t.forward(randomTensor([4] + shape, seed: 7, low: 1, high: 2), training: true)
            _ = t.backward(randomTensor([4] + t.outputShape, seed: 8, low: 1, high: 2))
            var results: [[Float]] = []
            for planar in [true, false] {
                t.useKernels(direct: planar)
                let y = t.forward(x, training: true).array
                results.append(y + t.backward(dy).array + t.kernel.grad.array + t.bias.grad.array)
            }
            let scale = results[1].map { abs($0) }.max() ?? 1
            assertClose(results[0], results[1], tolerance: 1e-5 * scale)
        }
    }

    func testGradientsOfTheSingleFilterPath() throws {
        var rng = SeededRandom(seed: 27)
        for (k, padding) in [((3, 2), Padding.same), ((2, 3), .valid)] {
            let conv = try Conv2D(inputShape: [5, 6, 4], filters: 1, kernelSize: k, padding: padding,
                                  activation: .tanh, rng: &rng)
            XCTAssertNotNil(conv.singleFilterInputGradient)
            GradientCheck().check(conv, input: randomTensor([2, 5, 6, 4]))
        }
    }

    func testGradientsOfThePlanarPath() throws {
        var rng = SeededRandom(seed: 25)
        for (k, padding) in [((3, 3), Padding.same), ((2, 3), .same), ((3, 2), .valid)] {
            let t = try Conv2DTranspose(inputShape: [4, 3, 5], filters: 6, kernelSize: k, padding: padding,
                                        activation: .tanh, rng: &rng)
            XCTAssertNotNil(t.planar)
            GradientCheck().check(t, input: randomTensor([2, 4, 3, 5]))
        }
    }

    func testGradientsOfTheDirectPaths() throws {
        var rng = SeededRandom(seed: 23)
        for (k, s, padding) in [((4, 4), (2, 2), Padding.same), ((3, 3), (1, 1), .same), ((3, 2), (2, 1), .valid),
                                ((2, 3), (1, 1), .same), ((3, 2), (1, 1), .valid)] {
            let t = try Conv2DTranspose(inputShape: [4, 3, 2], filters: 4, kernelSize: k, strides: s, padding: padding,
                                        activation: .tanh, rng: &rng)
            GradientCheck().check(t, input: randomTensor([2, 4, 3, 2]))
            let conv = try Conv2D(inputShape: [5, 6, 4], filters: 3, kernelSize: k, strides: s, padding: padding,
                                  activation: .tanh, rng: &rng)
            GradientCheck().check(conv, input: randomTensor([2, 5, 6, 4]))
        }
    }
}
