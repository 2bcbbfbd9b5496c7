/// C = A·B (row-major; A m×k, B k×n, C m×n) where every element of C is accumulated over k in
/// ascending order with fused multiply-adds by the same instructions, whatever row it is on
/// and however many rows there are. OpenBLAS's result for a row depends on where the row sits
/// in its tile (measured: a sample's score changed in the 8th digit with its position in the
/// batch), so a sample's output would depend on the batch it lands in; inference uses this
/// kernel instead, and a score is the same whichever batch or shard computes it.
///
/// Columns go 16 at a time (two 8-wide vectors), then 8, then one by one: a column's path
/// depends only on n. Rows go 4 at a time to reuse each loaded strip of B, with the same
/// per-row instructions as a single row. Rows may be split among threads freely.
public func stableGEMM(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                       b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
    var j = 0
    while j + 16 <= n { StableGEMM.columns16(m, k, a, lda, b + j, ldb, c + j, ldc); j += 16 }
    while j + 8 <= n { StableGEMM.columns8(m, k, a, lda, b + j, ldb, c + j, ldc); j += 8 }
    while j < n { StableGEMM.column(m, k, a, lda, b + j, ldb, c + j, ldc); j += 1 }
}

enum StableGEMM {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    static func columns16(_ m: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                          _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        var i = 0
        while i + 4 <= m {
            var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
            let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
            for p in 0..<k {
                let b0 = load(b + p * ldb), b1 = load(b + p * ldb + 8)
                let x0 = V(repeating: a0[p]), x1 = V(repeating: a1[p]), x2 = V(repeating: a2[p]), x3 = V(repeating: a3[p])
                c00.addProduct(x0, b0); c01.addProduct(x0, b1)
                c10.addProduct(x1, b0); c11.addProduct(x1, b1)
                c20.addProduct(x2, b0); c21.addProduct(x2, b1)
                c30.addProduct(x3, b0); c31.addProduct(x3, b1)
            }
            let r = c + i * ldc
            store(c00, r); store(c01, r + 8)
            store(c10, r + ldc); store(c11, r + ldc + 8)
            store(c20, r + 2 * ldc); store(c21, r + 2 * ldc + 8)
            store(c30, r + 3 * ldc); store(c31, r + 3 * ldc + 8)
            i += 4
        }
        while i < m {
            var c0 = V(), c1 = V()
            let a0 = a + i * lda
            for p in 0..<k {
                let x0 = V(repeating: a0[p])
                c0.addProduct(x0, load(b + p * ldb)); c1.addProduct(x0, load(b + p * ldb + 8))
            }
            store(c0, c + i * ldc); store(c1, c + i * ldc + 8)
            i += 1
        }
    }

    static func columns8(_ m: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        for i in 0..<m {
            var c0 = V()
            let a0 = a + i * lda
            for p in 0..<k { c0.addProduct(V(repeating: a0[p]), load(b + p * ldb)) }
            store(c0, c + i * ldc)
        }
    }

    static func column(_ m: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        for i in 0..<m {
            var s: Float = 0
            let a0 = a + i * lda
            for p in 0..<k { s.addProduct(a0[p], b[p * ldb]) }
            c[i * ldc] = s
        }
    }
}
