import XCTest
@testable import NeuralNet

final class StableGEMMTests: XCTestCase {
    /// Every element is the chain fma(a[i,k−1], b[k−1,j], … fma(a[i,0], b[0,j], 0)): compared bit
    /// for bit with that chain written out, on shapes with leftover rows (m mod 6) and columns
    /// (n mod 16, a block narrower than 64), and with leading dimensions wider than the matrices.
    func testEveryElementIsTheInOrderChainOfFusedMultiplyAdds() {
        for (m, n, k) in [(1, 1, 1), (13, 37, 5), (6, 64, 17), (7, 83, 33), (20, 130, 3), (5, 16, 0), (31, 70, 9), (50, 200, 12)] {
            let lda = k + 3, ldb = n + 5, ldc = n + 2
            let a = randomTensor([m, lda], seed: UInt64(m)), b = randomTensor([max(k, 1), ldb], seed: UInt64(n))
            let c = Tensor(shape: [m, ldc])
            c.fill(7)
            stableGEMM(m: m, n: n, k: k, a: a.ptr, lda: lda, b: b.ptr, ldb: ldb, c: c.ptr, ldc: ldc)
            for i in 0..<m {
                for j in 0..<n {
                    var s: Float = 0
                    for p in 0..<k { s = s.addingProduct(a.ptr[i * lda + p], b.ptr[p * ldb + j]) }
                    XCTAssertEqual(c.ptr[i * ldc + j].bitPattern, s.bitPattern, "(\(m), \(n), \(k)) at [\(i), \(j)]")
                }
                for j in n..<ldc { XCTAssertEqual(c.ptr[i * ldc + j], 7, "the padding of C is left alone") }
            }
        }
    }

    /// A row's result does not depend on the rows computed with it.
    func testARowAloneEqualsTheSameRowInABatch() {
        let (m, n, k) = (40, 50, 40)  // packed B for the batch, B read in place for one row
        let a = randomTensor([m, k], seed: 1), b = randomTensor([k, n], seed: 2)
        let all = Tensor(shape: [m, n]), one = Tensor(shape: [1, n])
        stableGEMM(m: m, n: n, k: k, a: a.ptr, lda: k, b: b.ptr, ldb: n, c: all.ptr, ldc: n)
        for i in [0, 5, 6, 17, 39] {
            stableGEMM(m: 1, n: n, k: k, a: a.ptr + i * k, lda: k, b: b.ptr, ldb: n, c: one.ptr, ldc: n)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: all.ptr + i * n, count: n)), one.array, "row \(i)")
        }
    }
}
