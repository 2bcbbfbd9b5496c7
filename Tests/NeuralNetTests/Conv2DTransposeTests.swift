import XCTest
@testable import NeuralNet

/// Direct scatter: every input pixel adds x·K[kh,kw,:,c] at output (i·s − top + kh, j·s − left + kw),
/// with Keras's output size and the padding of the conv it is the gradient of, written out here.
func naiveConv2DTranspose(_ x: Tensor, kernel: Tensor, bias: Tensor, strides: (Int, Int), padding: Padding) -> Tensor {
    let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (kh, kw, f) = (kernel.shape[0], kernel.shape[1], kernel.shape[2])
    func axis(_ input: Int, _ k: Int, _ s: Int) -> (out: Int, before: Int) {
        let out = padding == .same ? input * s : input * s + max(k - s, 0)
        return (out, max((input - 1) * s + k - out, 0) / 2)
    }
    let rows = axis(h, kh, strides.0), cols = axis(w, kw, strides.1)
    var y = [Double](repeating: 0, count: n * rows.out * cols.out * f)
    for b in 0..<n { for i in 0..<h { for j in 0..<w { for ch in 0..<c {
        let v = Double(x[((b * h + i) * w + j) * c + ch])
        for p in 0..<kh { for q in 0..<kw {
            let oh = i * strides.0 - rows.before + p, ow = j * strides.1 - cols.before + q
            guard oh >= 0, oh < rows.out, ow >= 0, ow < cols.out else { continue }
            for o in 0..<f {
                y[((b * rows.out + oh) * cols.out + ow) * f + o] += v * Double(kernel[((p * kw + q) * f + o) * c + ch])
            }
        } }
    } } } }
    for i in 0..<y.count { y[i] += Double(bias[i % f]) }
    return Tensor(shape: [n, rows.out, cols.out, f], values: y.map { Float($0) })
}

final class Conv2DTransposeTests: XCTestCase {
    func testHandExampleStride2() throws {
        var rng = SeededRandom(seed: 0)
        // 2×2 input, 2×2 kernel K = [1 2; 3 4], stride 2, `same`: out 4×4, pad total =
        // max((2−1)·2 + 2 − 4, 0) = 0, so pixel (i,j) writes x[i,j]·K into block (i,j):
        //   x = 1 2   →   1 2 2 4
        //       3 4       3 4 6 8
        //                 3 6 4 8
        //                 9 12 12 16     (+ bias 1 everywhere)
        let t = try Conv2DTranspose(inputShape: [2, 2, 1], filters: 1, kernelSize: (2, 2), strides: (2, 2),
                                    padding: .same, rng: &rng)
        t.kernel.value.copy(from: Tensor(shape: [2, 2, 1, 1], values: [1, 2, 3, 4]))
        t.bias.value.copy(from: Tensor(shape: [1], values: [1]))
        let y = t.forward(Tensor(shape: [1, 2, 2, 1], values: [1, 2, 3, 4]), training: false)
        XCTAssertEqual(y.shape, [1, 4, 4, 1])
        XCTAssertEqual(y.array, [1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16].map { $0 + 1 })
    }

    func testHandExampleStride1SameCropsTheOverhang() throws {
        var rng = SeededRandom(seed: 0)
        // 2×2 input, 2×2 kernel, stride 1, `same`: out 2×2, pad total = max(1 + 2 − 2, 0) = 1,
        // before 0: the full 3×3 scatter, with its last row and column cut off.
        // Full scatter of x = [1 2; 3 4] with K = [1 1; 1 1]: [1 3 2; 4 10 6; 3 7 4] → [1 3; 4 10].
        let t = try Conv2DTranspose(inputShape: [2, 2, 1], filters: 1, kernelSize: (2, 2), padding: .same, rng: &rng)
        t.kernel.value.fill(1)
        XCTAssertEqual(t.forward(Tensor(shape: [1, 2, 2, 1], values: [1, 2, 3, 4]), training: false).array, [1, 3, 4, 10])
    }

    func testKerasShapesAndParameterCounts() throws {
        var rng = SeededRandom(seed: 1)
        let up = try Conv2DTranspose(inputShape: [14, 14, 1], filters: 10, kernelSize: (4, 4), strides: (2, 2),
                                     padding: .same, activation: .relu, rng: &rng)
        XCTAssertEqual(up.outputShape, [28, 28, 10])
        XCTAssertEqual(up.parameterCount, 170)
        XCTAssertEqual(up.kernel.value.shape, [4, 4, 10, 1])
        let denoise = try Conv2DTranspose(inputShape: [28, 28, 10], filters: 10, kernelSize: (3, 3), padding: .same,
                                          activation: .relu, rng: &rng)
        XCTAssertEqual(denoise.outputShape, [28, 28, 10])
        XCTAssertEqual(denoise.parameterCount, 910)
        let valid = try Conv2DTranspose(inputShape: [5, 6, 2], filters: 3, kernelSize: (3, 4), strides: (2, 2),
                                        padding: .valid, rng: &rng)
        XCTAssertEqual(valid.outputShape, [11, 14, 3])  // (in − 1)·stride + k
        let wideStride = try Conv2DTranspose(inputShape: [5, 5, 1], filters: 1, kernelSize: (1, 1), strides: (3, 3),
                                             padding: .valid, rng: &rng)
        XCTAssertEqual(wideStride.outputShape, [15, 15, 1])  // Keras: in·stride + max(k − stride, 0)
    }

    func testForwardMatchesDirectScatter() throws {
        var rng = SeededRandom(seed: 2)
        let cases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
            ([4, 5, 2], 3, (4, 4), (2, 2), .same),
            ([4, 3, 3], 2, (3, 3), (2, 2), .same),
            ([5, 4, 2], 3, (3, 3), (1, 1), .same),
            ([3, 4, 2], 2, (3, 2), (2, 1), .valid),
            ([3, 3, 1], 2, (1, 2), (3, 3), .valid),
        ]
        for (i, (shape, filters, k, s, padding)) in cases.enumerated() {
            let t = try Conv2DTranspose(inputShape: shape, filters: filters, kernelSize: k, strides: s,
                                        padding: padding, rng: &rng)
            t.bias.value.copy(from: randomTensor([filters], seed: UInt64(60 + i)))
            let x = randomTensor([3] + shape, seed: UInt64(i))
            let expected = naiveConv2DTranspose(x, kernel: t.kernel.value, bias: t.bias.value, strides: s, padding: padding)
            for chunk in [Im2col.chunkElements, 1] {  // the whole batch at once, then image by image
                t.chunkElements = chunk
                let y = t.forward(x, training: false)
                XCTAssertEqual(y.shape, expected.shape, "case \(i)")
                assertClose(y.array, expected.array)
            }
        }
    }

    /// ⟨convT(x), y⟩ = ⟨x, conv(y)⟩ for the Conv2D from the output space back to the input
    /// space with the same kernel tensor: the definition TensorFlow's padding choice follows.
    func testIsTheAdjointOfTheMatchingConv2D() throws {
        var rng = SeededRandom(seed: 3)
        for (k, s) in [((4, 4), (2, 2)), ((3, 3), (2, 2)), ((3, 3), (1, 1)), ((5, 2), (2, 1))] {
            let t = try Conv2DTranspose(inputShape: [4, 5, 3], filters: 2, kernelSize: k, strides: s,
                                        padding: .same, rng: &rng)
            let conv = try Conv2D(inputShape: t.outputShape, filters: 3, kernelSize: k, strides: s,
                                  padding: .same, rng: &rng)
            XCTAssertEqual(conv.outputShape, t.inputShape)
            conv.kernel.value.copy(from: t.kernel.value)
            let x = randomTensor([2, 4, 5, 3], seed: 1), y = randomTensor([2] + t.outputShape, seed: 2)
            let tx = t.forward(x, training: false), cy = conv.forward(y, training: false)
            let lhs = zip(tx.array, y.array).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rhs = zip(x.array, cy.array).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * max(1, abs(lhs)), "kernel \(k) stride \(s)")
        }
    }

    func testGradientsStride2SameEvenKernel() throws {
        var rng = SeededRandom(seed: 4)
        let t = try Conv2DTranspose(inputShape: [3, 4, 2], filters: 3, kernelSize: (4, 4), strides: (2, 2),
                                    padding: .same, activation: .tanh, rng: &rng)
        GradientCheck().check(t, input: randomTensor([2, 3, 4, 2]))
        t.chunkElements = 1  // one image per chunk: dW summed over chunks
        GradientCheck().check(t, input: randomTensor([3, 3, 4, 2]))
    }

    func testGradientsStride1Same3x3() throws {
        var rng = SeededRandom(seed: 5)
        let t = try Conv2DTranspose(inputShape: [4, 4, 3], filters: 2, kernelSize: (3, 3), padding: .same,
                                    activation: .sigmoid, rng: &rng)
        GradientCheck().check(t, input: randomTensor([2, 4, 4, 3]))
    }

    func testGradientsValid() throws {
        var rng = SeededRandom(seed: 6)
        let t = try Conv2DTranspose(inputShape: [3, 3, 2], filters: 2, kernelSize: (3, 3), strides: (2, 2),
                                    padding: .valid, rng: &rng)
        GradientCheck().check(t, input: randomTensor([2, 3, 3, 2]))
    }
}
