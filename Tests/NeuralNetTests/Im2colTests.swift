import XCTest
@testable import NeuralNet

final class Im2colTests: XCTestCase {
    func testPaddingRule() throws {
        // same: out = ⌈in/s⌉, total = max((out−1)·s + k − in, 0), before = total/2.
        func same(_ i: Int, _ k: Int, _ s: Int) throws -> [Int] {
            let w = try Padding.same.window(input: i, kernel: k, stride: s)
            return [w.output, w.before]
        }
        XCTAssertEqual(try same(28, 5, 2), [14, 1])  // total 3: 1 before, 2 after
        XCTAssertEqual(try same(28, 4, 2), [14, 1])  // total 2
        XCTAssertEqual(try same(7, 4, 2), [4, 1])    // total 3
        XCTAssertEqual(try same(3, 2, 1), [3, 0])    // total 1: all after
        XCTAssertEqual(try same(28, 3, 1), [28, 1])
        XCTAssertEqual(try same(5, 1, 3), [2, 0])    // total max(3 + 1 − 5, 0) = 0
        let valid = try Padding.valid.window(input: 14, kernel: 5, stride: 1)
        XCTAssertEqual([valid.output, valid.before], [10, 0])
        XCTAssertEqual(try Padding.valid.window(input: 8, kernel: 3, stride: 2).output, 3)
        XCTAssertThrowsError(try Padding.valid.window(input: 2, kernel: 3, stride: 1))
        // Transposed: same → in·s; valid → in·s + max(k − s, 0).
        let up = Padding.same.transposedWindow(input: 14, kernel: 4, stride: 2)
        XCTAssertEqual([up.output, up.before], [28, 1])
        XCTAssertEqual(Padding.same.transposedWindow(input: 14, kernel: 3, stride: 2).before, 0)
        XCTAssertEqual(Padding.valid.transposedWindow(input: 14, kernel: 3, stride: 2).output, 29)
        XCTAssertEqual(Padding.valid.transposedWindow(input: 14, kernel: 1, stride: 2).output, 28)
    }

    func testHandLayout() throws {
        // 3×3×1 image, 2×2 kernel, stride 1, `same` (padding after): one row per output
        // pixel holding [x(i,j), x(i,j+1), x(i+1,j), x(i+1,j+1)], zero off the image.
        let g = try ConvGeometry(image: [3, 3, 1], kernel: (2, 2), strides: (1, 1), padding: .same)
        let x = Tensor(shape: [1, 3, 3, 1], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let cols = Tensor(shape: [9, 4])
        Im2col.im2col(x.ptr, batch: 1, g, into: cols.ptr)
        XCTAssertEqual(cols.array, [1, 2, 4, 5, 2, 3, 5, 6, 3, 0, 6, 0,
                                    4, 5, 7, 8, 5, 6, 8, 9, 6, 0, 9, 0,
                                    7, 8, 0, 0, 8, 9, 0, 0, 9, 0, 0, 0])
    }

    func testChannelsAreFastestWithinAPatch() throws {
        // 2×2×2 image, 2×2 kernel, valid: a single row, ordered (kh, kw, c) like a Keras kernel.
        let g = try ConvGeometry(image: [2, 2, 2], kernel: (2, 2), strides: (1, 1), padding: .valid)
        let x = Tensor(shape: [1, 2, 2, 2], values: [10, 11, 20, 21, 30, 31, 40, 41])
        let cols = Tensor(shape: [1, 8])
        Im2col.im2col(x.ptr, batch: 1, g, into: cols.ptr)
        XCTAssertEqual(cols.array, x.array)
    }

    /// col2im must be im2col's adjoint: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩.
    func testCol2imIsTheAdjointOfIm2col() throws {
        let cases: [([Int], (Int, Int), (Int, Int), Padding)] = [
            ([7, 7, 2], (4, 4), (2, 2), .same),
            ([8, 5, 3], (5, 5), (2, 2), .same),
            ([5, 6, 1], (3, 3), (1, 1), .same),
            ([6, 7, 2], (3, 2), (2, 3), .valid),
        ]
        for (i, (shape, k, s, padding)) in cases.enumerated() {
            let g = try ConvGeometry(image: shape, kernel: k, strides: s, padding: padding)
            let x = randomTensor([2] + shape, seed: UInt64(i))
            let c = randomTensor([2 * g.outPixels, g.patchSize], seed: UInt64(10 + i))
            let cols = Tensor(shape: c.shape), image = Tensor(shape: x.shape)
            Im2col.im2col(x.ptr, batch: 2, g, into: cols.ptr)
            Im2col.col2im(c.ptr, batch: 2, g, into: image.ptr)
            let lhs = zip(cols.array, c.array).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rhs = zip(x.array, image.array).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * max(1, abs(lhs)), "case \(i)")
        }
    }
}
