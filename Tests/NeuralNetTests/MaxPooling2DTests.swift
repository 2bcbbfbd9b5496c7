import XCTest
@testable import NeuralNet

/// Direct max over each window, padded cells skipped (−∞), windows per TensorFlow's rule.
func naiveMaxPool(_ x: Tensor, pool: (Int, Int), strides: (Int, Int), padding: Padding) -> Tensor {
    let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let rows = tfWindow(h, pool.0, strides.0, padding), cols = tfWindow(w, pool.1, strides.1, padding)
    let y = Tensor(shape: [n, rows.out, cols.out, c])
    for b in 0..<n { for oh in 0..<rows.out { for ow in 0..<cols.out { for ch in 0..<c {
        var m = -Float.infinity
        for i in 0..<pool.0 { for j in 0..<pool.1 {
            let ih = oh * strides.0 - rows.before + i, iw = ow * strides.1 - cols.before + j
            if ih >= 0, ih < h, iw >= 0, iw < w { m = max(m, x[((b * h + ih) * w + iw) * c + ch]) }
        } }
        y[((b * rows.out + oh) * cols.out + ow) * c + ch] = m
    } } } }
    return y
}

/// Distinct values 0.05 apart in a shuffled order, so a ±h nudge never changes a window's max.
func distinctTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededRandom(seed: seed)
    let n = shape.reduce(1, *)
    let values = (0..<n).map { Float($0) * 0.05 - Float(n) * 0.025 }.shuffled(using: &rng)
    return Tensor(shape: shape, values: values)
}

final class MaxPooling2DTests: XCTestCase {
    func testHandExampleSamePadsAfterWithMinusInfinity() throws {
        // 3×3 negative input, pool 2×2 stride 1 `same`: out 3×3, total = max(2 + 2 − 3, 0) = 1,
        // before 0, so the last row and column pool over the −∞ padding (never over zeros):
        //   x = −1 −2 −3     y = max of x[i..i+1, j..j+1] = −1 −2 −3
        //       −4 −5 −6                                   −4 −5 −6
        //       −7 −8 −9                                   −7 −8 −9
        // (zero padding would have given 0 in the last row and column).
        let pool = try MaxPooling2D(inputShape: [3, 3, 1], poolSize: (2, 2), strides: (1, 1), padding: .same)
        let x = Tensor(shape: [1, 3, 3, 1], values: [-1, -2, -3, -4, -5, -6, -7, -8, -9])
        XCTAssertEqual(pool.forward(x, training: true).array, [-1, -2, -3, -4, -5, -6, -7, -8, -9])
        // Every output came from its own top-left cell, so dY goes straight back.
        let dy = Tensor(shape: [1, 3, 3, 1], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        XCTAssertEqual(pool.backward(dy).array, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    func testHandExampleDefaultStridesAndGradientRouting() throws {
        // 4×4, pool 2×2, strides nil → 2: four disjoint windows.
        //   x =  1  5  2  0      y = 5 7     dx = 0 10  0  0
        //        3  4  7  6          9 8          0  0 20  0
        //        9  0  1  8                       30 0  0 40
        //        2  2  3  3                       0  0  0  0
        let pool = try MaxPooling2D(inputShape: [4, 4, 1], poolSize: (2, 2), padding: .valid)
        XCTAssertEqual(pool.outputShape, [2, 2, 1])
        let x = Tensor(shape: [1, 4, 4, 1], values: [1, 5, 2, 0, 3, 4, 7, 6, 9, 0, 1, 8, 2, 2, 3, 3])
        XCTAssertEqual(pool.forward(x, training: true).array, [5, 7, 9, 8])
        let dx = pool.backward(Tensor(shape: [1, 2, 2, 1], values: [10, 20, 30, 40]))
        XCTAssertEqual(dx.shape, [1, 4, 4, 1])
        XCTAssertEqual(dx.array, [0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 0, 40, 0, 0, 0, 0])
    }

    func testTiesGoToTheFirstMaximumInScanOrder() throws {
        // Constant 3×3, pool 2×2 stride 1 valid: each window's winner is its top-left cell.
        let pool = try MaxPooling2D(inputShape: [3, 3, 1], poolSize: (2, 2), strides: (1, 1), padding: .valid)
        let x = Tensor(shape: [1, 3, 3, 1], values: [Float](repeating: 2, count: 9))
        XCTAssertEqual(pool.forward(x, training: true).array, [2, 2, 2, 2])
        let dx = pool.backward(Tensor(shape: [1, 2, 2, 1], values: [1, 2, 3, 4]))
        XCTAssertEqual(dx.array, [1, 2, 0, 3, 4, 0, 0, 0, 0])
    }

    func testChapterShapes() throws {
        let conv = try MaxPooling2D(inputShape: [14, 14, 10], poolSize: (5, 5), strides: (1, 1), padding: .valid)
        XCTAssertEqual(conv.outputShape, [10, 10, 10])
        XCTAssertEqual(conv.parameterCount, 0)
        let denoise = try MaxPooling2D(inputShape: [28, 28, 10], poolSize: (2, 2), strides: (1, 1), padding: .same)
        XCTAssertEqual(denoise.outputShape, [28, 28, 10])
        XCTAssertThrowsError(try MaxPooling2D(inputShape: [4, 4, 1], poolSize: (5, 5), padding: .valid))
    }

    func testForwardMatchesDirectMax() throws {
        let cases: [([Int], (Int, Int), (Int, Int), Padding)] = [
            ([7, 7, 3], (5, 5), (1, 1), .valid),
            ([5, 6, 2], (2, 2), (1, 1), .same),
            ([5, 5, 2], (2, 2), (2, 2), .same),
            ([7, 6, 2], (3, 2), (2, 3), .same),
            ([6, 7, 1], (3, 3), (2, 2), .valid),
        ]
        for (i, (shape, p, s, padding)) in cases.enumerated() {
            let pool = try MaxPooling2D(inputShape: shape, poolSize: p, strides: s, padding: padding)
            let x = randomTensor([3] + shape, seed: UInt64(i))
            let expected = naiveMaxPool(x, pool: p, strides: s, padding: padding)
            for training in [false, true] {
                let y = pool.forward(x, training: training)
                XCTAssertEqual(y.shape, expected.shape, "case \(i)")
                XCTAssertEqual(y.array, expected.array, "case \(i), training \(training)")
            }
        }
    }

    func testUnitStridePathMatchesGeneralPathIncludingTies() throws {
        // Values from {0, 1, 2} make many ties; (3, 3) `same` pads one column before, (4, 4)
        // `same` one before and two after, so clipped windows on both sides are covered.
        let cases: [([Int], (Int, Int), (Int, Int), Padding)] = [
            ([6, 7, 3], (3, 3), (1, 1), .same), ([7, 6, 2], (4, 4), (2, 1), .same),
            ([5, 8, 10], (2, 2), (1, 1), .same), ([9, 9, 4], (5, 5), (1, 1), .valid),
        ]
        for (i, (shape, p, s, padding)) in cases.enumerated() {
            var rng = SeededRandom(seed: UInt64(10 + i))
            let x = Tensor(shape: [2] + shape, values: (0..<(2 * shape.reduce(1, *))).map { _ in Float(rng.next() % 3) })
            var results: [([Float], [Float])] = []
            for unitStride in [true, false] {
                let pool = try MaxPooling2D(inputShape: shape, poolSize: p, strides: s, padding: padding)
                pool.unitStrideRows = unitStride
                let y = pool.forward(x, training: true).array
                XCTAssertEqual(pool.forward(x, training: false).array, y, "case \(i): inference keeps no argmax, same values")
                _ = pool.forward(x, training: true)
                let dy = Tensor(shape: [2] + pool.outputShape, values: (0..<y.count).map { Float($0 + 1) })
                results.append((y, pool.backward(dy).array))
            }
            XCTAssertEqual(results[0].0, results[1].0, "case \(i) values")
            XCTAssertEqual(results[0].1, results[1].1, "case \(i) gradient routing (argmax)")
            XCTAssertEqual(results[0].0, naiveMaxPool(x, pool: p, strides: s, padding: padding).array, "case \(i)")
        }
    }

    /// The 2×2 stride-1 kernel (cell codes, gathered gradient) against the general path:
    /// the same values and the same gradient routing under many ties, `same` and `valid`,
    /// widths below and above one SIMD block, and a batch split over two threads.
    func testTwoByTwoStride1PathMatchesGeneralPathIncludingTies() throws {
        let cases: [([Int], Padding, Int)] = [
            ([28, 28, 10], .same, 40), ([5, 6, 3], .same, 3), ([6, 5, 3], .valid, 3),
            ([3, 2, 1], .same, 2), ([9, 17, 1], .valid, 2), ([2, 2, 10], .valid, 2),
        ]
        for (i, (shape, padding, batch)) in cases.enumerated() {
            var rng = SeededRandom(seed: UInt64(40 + i))
            let x = Tensor(shape: [batch] + shape, values: (0..<(batch * shape.reduce(1, *))).map { _ in Float(rng.next() % 3) })
            let outputShape = try MaxPooling2D(inputShape: shape, poolSize: (2, 2), strides: (1, 1), padding: padding).outputShape
            let dy = Tensor(shape: [batch] + outputShape,
                            values: (0..<(batch * outputShape.reduce(1, *))).map { _ in Float(rng.next() % 7) - 3 })
            var results: [([Float], [Float])] = []
            for twoByTwo in [true, false] {
                let pool = try MaxPooling2D(inputShape: shape, poolSize: (2, 2), strides: (1, 1), padding: padding)
                XCTAssertNotNil(pool.twoByTwo, "case \(i)")
                pool.unitStrideRows = twoByTwo
                let y = pool.forward(x, training: true).array
                results.append((y, pool.backward(dy).array))
            }
            XCTAssertEqual(results[0].0, results[1].0, "case \(i) values")
            XCTAssertEqual(results[0].1, results[1].1, "case \(i) gradient routing")
        }
    }

    func testGradientsValid5x5Stride1() throws {
        let pool = try MaxPooling2D(inputShape: [7, 7, 2], poolSize: (5, 5), strides: (1, 1), padding: .valid)
        GradientCheck().check(pool, input: distinctTensor([2, 7, 7, 2], seed: 1))
    }

    func testGradientsSame2x2Stride1() throws {
        let pool = try MaxPooling2D(inputShape: [5, 5, 2], poolSize: (2, 2), strides: (1, 1), padding: .same)
        GradientCheck().check(pool, input: distinctTensor([2, 5, 5, 2], seed: 2))
    }

    func testLargeBatchSplitAcrossThreadsMatchesDirectMax() throws {
        // 64·14·14·10 outputs × 25 cells is above the two-thread threshold.
        let pool = try MaxPooling2D(inputShape: [14, 14, 10], poolSize: (5, 5), strides: (1, 1), padding: .valid)
        let x = randomTensor([64, 14, 14, 10], seed: 9)
        let expected = naiveMaxPool(x, pool: (5, 5), strides: (1, 1), padding: .valid).array
        XCTAssertEqual(pool.forward(x, training: false).array, expected)
        XCTAssertEqual(pool.forward(x, training: true).array, expected)
        // Gradient mass is conserved: every dY lands on exactly one input cell.
        let dy = randomTensor([64, 10, 10, 10], seed: 10)
        let dx = pool.backward(dy)
        XCTAssertEqual(dx.array.reduce(0.0) { $0 + Double($1) }, dy.array.reduce(0.0) { $0 + Double($1) }, accuracy: 1e-2)
    }
}
