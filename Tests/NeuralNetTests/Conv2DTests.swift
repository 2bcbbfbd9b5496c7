import XCTest
@testable import NeuralNet

/// TensorFlow's `same`/`valid` rule for one axis, written out again independently of Padding.swift.
func tfWindow(_ input: Int, _ k: Int, _ s: Int, _ padding: Padding) -> (out: Int, before: Int) {
    if padding == .valid { return ((input - k) / s + 1, 0) }
    let out = (input + s - 1) / s
    return (out, max((out - 1) * s + k - input, 0) / 2)
}

/// Direct-loop convolution: y[n,oh,ow,f] = b[f] + Σ x[n, oh·s−top+kh, ow·s−left+kw, c]·K[kh,kw,c,f].
func naiveConv2D(_ x: Tensor, kernel: Tensor, bias: Tensor, strides: (Int, Int), padding: Padding) -> Tensor {
    let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (kh, kw, f) = (kernel.shape[0], kernel.shape[1], kernel.shape[3])
    let rows = tfWindow(h, kh, strides.0, padding), cols = tfWindow(w, kw, strides.1, padding)
    let y = Tensor(shape: [n, rows.out, cols.out, f])
    for b in 0..<n { for oh in 0..<rows.out { for ow in 0..<cols.out { for o in 0..<f {
        var s = Double(bias[o])
        for i in 0..<kh { for j in 0..<kw {
            let ih = oh * strides.0 - rows.before + i, iw = ow * strides.1 - cols.before + j
            guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
            for ch in 0..<c {
                s += Double(x[((b * h + ih) * w + iw) * c + ch]) * Double(kernel[((i * kw + j) * c + ch) * f + o])
            }
        } }
        y[((b * rows.out + oh) * cols.out + ow) * f + o] = Float(s)
    } } } }
    return y
}

final class Conv2DTests: XCTestCase {
    func testHandExampleWithPaddingAfter() throws {
        var rng = SeededRandom(seed: 0)
        // 3×3 input, 2×2 kernel [[1, 0], [0, −1]]: y[i,j] = x[i,j] − x[i+1,j+1] + 0.5.
        // `same`, stride 1: out 3, total = max(2·1 + 2 − 3, 0) = 1, before 0, so the zero
        // padding is one row below and one column right.
        //   x = 1 2 3      y = 1−5 2−6 3−0    + 0.5  = −3.5 −3.5 3.5
        //       4 5 6          4−8 5−9 6−0                −3.5 −3.5 6.5
        //       7 8 9          7   8   9                   7.5  8.5 9.5
        let x = Tensor(shape: [1, 3, 3, 1], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let conv = try Conv2D(inputShape: [3, 3, 1], filters: 1, kernelSize: (2, 2), padding: .same, rng: &rng)
        conv.kernel.value.copy(from: Tensor(shape: [2, 2, 1, 1], values: [1, 0, 0, -1]))
        conv.bias.value.copy(from: Tensor(shape: [1], values: [0.5]))
        XCTAssertEqual(conv.forward(x, training: false).array, [-3.5, -3.5, 3.5, -3.5, -3.5, 6.5, 7.5, 8.5, 9.5])

        // Stride 2: out 2, total = max(1·2 + 2 − 3, 0) = 1, before 0: windows at rows/cols 0 and 2.
        // y = [x00 − x11, x02 − 0; x20 − 0, x22 − 0] + 0.5 = [−3.5, 3.5; 7.5, 9.5]
        let strided = try Conv2D(inputShape: [3, 3, 1], filters: 1, kernelSize: (2, 2), strides: (2, 2),
                                 padding: .same, rng: &rng)
        strided.kernel.value.copy(from: conv.kernel.value)
        strided.bias.value.copy(from: conv.bias.value)
        let y = strided.forward(x, training: false)
        XCTAssertEqual(y.shape, [1, 2, 2, 1])
        XCTAssertEqual(y.array, [-3.5, 3.5, 7.5, 9.5])
    }

    func testReluIsAppliedAfterBias() throws {
        var rng = SeededRandom(seed: 0)
        let conv = try Conv2D(inputShape: [1, 2, 1], filters: 2, kernelSize: (1, 1), padding: .valid,
                              activation: .relu, rng: &rng)
        conv.kernel.value.copy(from: Tensor(shape: [1, 1, 1, 2], values: [1, -1]))
        conv.bias.value.copy(from: Tensor(shape: [2], values: [-1, 0.5]))
        // x = [3, 0.25]: filter 0 → 3−1, 0.25−1; filter 1 → −3+0.5, −0.25+0.5; then relu.
        let y = conv.forward(Tensor(shape: [1, 1, 2, 1], values: [3, 0.25]), training: false)
        XCTAssertEqual(y.array, [2, 0, 0, 0.25])
    }

    func testForwardMatchesDirectConvolution() throws {
        var rng = SeededRandom(seed: 1)
        // (input H, W, C), filters, kernel, strides, padding: even and odd kernels with
        // stride 2 `same` (asymmetric padding), stride 1 `same`, and `valid`.
        let cases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
            ([7, 7, 2], 3, (4, 4), (2, 2), .same),
            ([8, 7, 3], 2, (5, 5), (2, 2), .same),
            ([6, 5, 2], 4, (3, 3), (1, 1), .same),
            ([5, 6, 1], 2, (2, 4), (1, 2), .same),
            ([6, 5, 2], 3, (3, 2), (2, 1), .valid),
        ]
        for (i, (shape, filters, k, s, padding)) in cases.enumerated() {
            let conv = try Conv2D(inputShape: shape, filters: filters, kernelSize: k, strides: s,
                                  padding: padding, rng: &rng)
            conv.bias.value.copy(from: randomTensor([filters], seed: UInt64(50 + i)))
            let x = randomTensor([3] + shape, seed: UInt64(i))
            let expected = naiveConv2D(x, kernel: conv.kernel.value, bias: conv.bias.value, strides: s, padding: padding)
            for chunk in [Im2col.chunkElements, 1] {  // the whole batch at once, then image by image
                conv.chunkElements = chunk
                let y = conv.forward(x, training: false)
                XCTAssertEqual(y.shape, expected.shape, "case \(i)")
                assertClose(y.array, expected.array)
            }
        }
    }

    func testChapterLayersShapesAndParameterCounts() throws {
        var rng = SeededRandom(seed: 2)
        let encoder = try Conv2D(inputShape: [28, 28, 1], filters: 10, kernelSize: (5, 5), strides: (2, 2),
                                 padding: .same, activation: .relu, rng: &rng)
        XCTAssertEqual(encoder.outputShape, [14, 14, 10])
        XCTAssertEqual(encoder.parameterCount, 260)
        XCTAssertEqual(encoder.kernel.value.shape, [5, 5, 1, 10])
        let last = try Conv2D(inputShape: [28, 28, 10], filters: 1, kernelSize: (4, 4), padding: .same, rng: &rng)
        XCTAssertEqual(last.outputShape, [28, 28, 1])
        XCTAssertEqual(last.parameterCount, 161)
        let denoiseFirst = try Conv2D(inputShape: [28, 28, 1], filters: 10, kernelSize: (3, 3), padding: .same,
                                      activation: .relu, rng: &rng)
        XCTAssertEqual(denoiseFirst.outputShape, [28, 28, 10])
        XCTAssertEqual(denoiseFirst.parameterCount, 100)
        let denoiseLast = try Conv2D(inputShape: [28, 28, 10], filters: 1, kernelSize: (3, 3), padding: .same,
                                     activation: .sigmoid, rng: &rng)
        XCTAssertEqual(denoiseLast.outputShape, [28, 28, 1])
        XCTAssertEqual(denoiseLast.parameterCount, 91)
    }

    /// The `conv` and `denoise` presets' stacks, layer to layer, with a real batch through them.
    func testPresetStacksChainAndCountParameters() throws {
        var rng = SeededRandom(seed: 3)
        let conv: [Layer] = [
            try Conv2D(inputShape: [28, 28, 1], filters: 10, kernelSize: (5, 5), strides: (2, 2), padding: .same,
                       activation: .relu, rng: &rng),
            try MaxPooling2D(inputShape: [14, 14, 10], poolSize: (5, 5), strides: (1, 1), padding: .valid),
            try Flatten(inputShape: [10, 10, 10]),
            try Dense(inputShape: [1000], units: 196, rng: &rng),
            try Reshape(inputShape: [196], targetShape: [14, 14, 1]),
            try Conv2DTranspose(inputShape: [14, 14, 1], filters: 10, kernelSize: (4, 4), strides: (2, 2),
                                padding: .same, activation: .relu, rng: &rng),
            try Conv2D(inputShape: [28, 28, 10], filters: 1, kernelSize: (4, 4), padding: .same, rng: &rng),
        ]
        XCTAssertEqual(conv.reduce(0) { $0 + $1.parameterCount }, 196_787)
        let denoise: [Layer] = [
            try Conv2D(inputShape: [28, 28, 1], filters: 10, kernelSize: (3, 3), padding: .same,
                       activation: .relu, rng: &rng),
            try MaxPooling2D(inputShape: [28, 28, 10], poolSize: (2, 2), strides: (1, 1), padding: .same),
            try Conv2DTranspose(inputShape: [28, 28, 10], filters: 10, kernelSize: (3, 3), padding: .same,
                                activation: .relu, rng: &rng),
            try Conv2D(inputShape: [28, 28, 10], filters: 1, kernelSize: (3, 3), padding: .same,
                       activation: .sigmoid, rng: &rng),
        ]
        XCTAssertEqual(denoise.reduce(0) { $0 + $1.parameterCount }, 1_101)
        for stack in [conv, denoise] {
            for (a, b) in zip(stack, stack.dropFirst()) { XCTAssertEqual(a.outputShape, b.inputShape, "\(a.kind)→\(b.kind)") }
            var t = randomTensor([2, 28, 28, 1], low: 0, high: 1)
            for layer in stack { t = layer.forward(t, training: true) }
            XCTAssertEqual(t.shape, [2, 28, 28, 1])
            for layer in stack.reversed() { t = layer.backward(t) }
            XCTAssertEqual(t.shape, [2, 28, 28, 1])
        }
    }

    func testGradientsStride2SameEvenKernel() throws {
        var rng = SeededRandom(seed: 4)
        let conv = try Conv2D(inputShape: [7, 7, 2], filters: 3, kernelSize: (4, 4), strides: (2, 2),
                              padding: .same, activation: .tanh, rng: &rng)
        GradientCheck().check(conv, input: randomTensor([2, 7, 7, 2]))
        conv.chunkElements = 1  // one image per chunk: dW summed over chunks
        GradientCheck().check(conv, input: randomTensor([3, 7, 7, 2]))
    }

    func testGradientsStride2SameOddKernel() throws {
        var rng = SeededRandom(seed: 5)
        let conv = try Conv2D(inputShape: [8, 7, 2], filters: 2, kernelSize: (5, 5), strides: (2, 2),
                              padding: .same, rng: &rng)
        GradientCheck().check(conv, input: randomTensor([2, 8, 7, 2]))
    }

    func testGradientsStride1Same() throws {
        var rng = SeededRandom(seed: 6)
        let conv = try Conv2D(inputShape: [5, 5, 3], filters: 2, kernelSize: (3, 3), padding: .same,
                              activation: .sigmoid, rng: &rng)
        GradientCheck().check(conv, input: randomTensor([2, 5, 5, 3]))
    }

    func testGradientsValid() throws {
        var rng = SeededRandom(seed: 7)
        let conv = try Conv2D(inputShape: [6, 5, 2], filters: 3, kernelSize: (3, 2), strides: (2, 1),
                              padding: .valid, rng: &rng)
        GradientCheck().check(conv, input: randomTensor([2, 6, 5, 2]))
    }

    /// One filter takes a backward that skips the column matrix; check it on its own.
    func testGradientsSingleFilter() throws {
        var rng = SeededRandom(seed: 9)
        for (k, s, padding) in [((4, 4), (1, 1), Padding.same), ((5, 3), (2, 2), .same), ((3, 3), (2, 1), .valid)] {
            let conv = try Conv2D(inputShape: [6, 7, 3], filters: 1, kernelSize: k, strides: s, padding: padding,
                                  activation: .tanh, rng: &rng)
            GradientCheck().check(conv, input: randomTensor([2, 6, 7, 3]))
        }
    }

    /// The single-filter backward equals the GEMM one, also when split over two threads.
    func testSingleFilterBackwardMatchesGEMMBackward() throws {
        var rng = SeededRandom(seed: 10)
        let conv = try Conv2D(inputShape: [14, 14, 4], filters: 1, kernelSize: (4, 4), padding: .same, rng: &rng)
        let x = randomTensor([8, 14, 14, 4], seed: 3), dy = randomTensor([8, 14, 14, 1], seed: 4)
        XCTAssertGreaterThanOrEqual(8 * 196 * 64, Parallelism.minimumFloats, "large enough for two threads")
        var results: [[Float]] = []
        for shortcut in [true, false] {
            conv.useKernels(direct: shortcut)
            _ = conv.forward(x, training: true)
            results.append(conv.backward(dy).array + conv.kernel.grad.array + conv.bias.grad.array)
        }
        assertClose(results[0], results[1], tolerance: 1e-3)
    }

    /// A first layer can skip dX; its parameter gradients must not change.
    func testSkippingTheInputGradientKeepsParameterGradients() throws {
        for filters in [1, 3] {  // the single-filter and the GEMM backward
            var rng = SeededRandom(seed: 11)
            let conv = try Conv2D(inputShape: [6, 6, 2], filters: filters, kernelSize: (3, 3), padding: .same,
                                  activation: .relu, rng: &rng)
            let x = randomTensor([2, 6, 6, 2], seed: 5), dy = randomTensor([2, 6, 6, filters], seed: 6)
            var grads: [[Float]] = []
            for needed in [true, false] {
                conv.needsInputGradient = needed
                _ = conv.forward(x, training: true)
                _ = conv.backward(dy)
                grads.append(conv.kernel.grad.array + conv.bias.grad.array)
            }
            XCTAssertEqual(grads[0], grads[1])
        }
    }

    func testRejectsBadShapes() {
        var rng = SeededRandom(seed: 8)
        XCTAssertThrowsError(try Conv2D(inputShape: [28, 28], filters: 1, kernelSize: (3, 3), padding: .same, rng: &rng))
        XCTAssertThrowsError(try Conv2D(inputShape: [2, 2, 1], filters: 1, kernelSize: (3, 3), padding: .valid, rng: &rng))
        XCTAssertThrowsError(try Conv2D(inputShape: [4, 4, 1], filters: 0, kernelSize: (3, 3), padding: .same, rng: &rng))
    }
}
