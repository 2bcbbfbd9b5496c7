/// C = A·B (row-major; A m×k, B k×n, C m×n) where every element of C is accumulated over k in
/// ascending order by a chain of fused multiply-adds starting from zero, whatever row and
/// column it is in and however many rows there are. OpenBLAS's result for a row depends on
/// where the row sits in its tile (measured: a sample's score changed in the 8th digit with its
/// position in the batch), so a sample's output would depend on the batch it lands in; inference
/// uses this kernel instead, and a score is the same whichever batch or shard computes it.
///
/// Any blocking of rows and columns keeps that chain, so the kernel is blocked for speed: 6×16
/// tiles of C in registers (12 accumulators, each B row's 16 values loaded once for 6 rows),
/// blocks of 64 columns of B copied into a contiguous buffer (rows of B a power of two apart,
/// as in most layers, map onto a few cache sets and evicted each other) that stays in L2 while
/// every 6-row panel of A passes (the panel stays in L1 across the block's four tiles). Leftover
/// rows go one at a time; leftover columns (fewer than 16) are zero-padded in the copy. Rows may
/// be split among threads freely.
public func stableGEMM(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                       b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
        return
    }
    // A few rows (one image's reconstruction for a report) would pay more for the copies of B
    // than for the products: they read B in place, only leftover columns being copied.
    var j = m < StableGEMM.rowsWorthPacking ? n / 16 * 16 : 0
    for i in 0..<m {
        for column in stride(from: 0, to: j, by: 16) { StableGEMM.row16(k, a + i * lda, b + column, ldb, c + i * ldc + column) }
    }
    guard j < n else { return }
    let blockFloats = k * min(StableGEMM.blockColumns, (n - j + 15) / 16 * 16)
    let packed = UnsafeMutablePointer<Float>.allocate(capacity: blockFloats + StableGEMM.panelRows * 16)
    defer { packed.deallocate() }
    while j < n {
        let width = min(StableGEMM.blockColumns, n - j)
        StableGEMM.pack(b + j, ldb, k: k, width: width, into: packed)
        StableGEMM.columnBlock(m, k, a, lda, packed, c + j, ldc, width: width, scratch: packed + blockFloats)
        j += width
    }
}

enum StableGEMM {
    typealias V = SIMD8<Float>
    /// Columns of B per block: 64 (four tiles), k·256 bytes, in L2 for any layer here.
    static let blockColumns = 64
    static let panelRows = 6
    static let rowsWorthPacking = 24

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// Columns 0..<width (≤ 64) of B as ⌈width/16⌉ tiles of k×16 values, one after the other,
    /// the last tile's missing columns zero.
    static func pack(_ b: UnsafePointer<Float>, _ ldb: Int, k: Int, width: Int, into packed: UnsafeMutablePointer<Float>) {
        for t in 0..<((width + 15) / 16) {
            let tile = packed + t * k * 16, columns = min(16, width - 16 * t)
            for p in 0..<k {
                (tile + p * 16).update(from: b + p * ldb + 16 * t, count: columns)
                if columns < 16 { (tile + p * 16 + columns).update(repeating: 0, count: 16 - columns) }
            }
        }
    }

    /// C[:, 0..<width] from the packed block; a tile narrower than 16 columns is computed into
    /// `scratch` (6×16) and its real columns copied out.
    static func columnBlock(_ m: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ packed: UnsafePointer<Float>,
                            _ c: UnsafeMutablePointer<Float>, _ ldc: Int, width: Int, scratch: UnsafeMutablePointer<Float>) {
        let tiles = (width + 15) / 16
        var i = 0
        while i < m {
            let rows = min(panelRows, m - i)
            for t in 0..<tiles {
                let columns = min(16, width - 16 * t), b = packed + t * k * 16
                let (out, ldo) = columns == 16 ? (c + i * ldc + 16 * t, ldc) : (scratch, 16)
                if rows == panelRows {
                    tile6x16(k, a + i * lda, lda, b, 16, out, ldo)
                } else {
                    for r in 0..<rows { row16(k, a + (i + r) * lda, b, 16, out + r * ldo) }
                }
                if columns < 16 {
                    for r in 0..<rows { (c + (i + r) * ldc + 16 * t).update(from: scratch + r * 16, count: columns) }
                }
            }
            i += rows
        }
    }

    /// Rows 0..<6, columns 0..<16 of C.
    @inline(__always)
    static func tile6x16(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        let a0 = a, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda
        var row = b
        for p in 0..<k {
            let b0 = load(row), b1 = load(row + 8)
            var x = V(repeating: a0[p]); c00.addProduct(x, b0); c01.addProduct(x, b1)
            x = V(repeating: a1[p]); c10.addProduct(x, b0); c11.addProduct(x, b1)
            x = V(repeating: a2[p]); c20.addProduct(x, b0); c21.addProduct(x, b1)
            x = V(repeating: a3[p]); c30.addProduct(x, b0); c31.addProduct(x, b1)
            x = V(repeating: a4[p]); c40.addProduct(x, b0); c41.addProduct(x, b1)
            x = V(repeating: a5[p]); c50.addProduct(x, b0); c51.addProduct(x, b1)
            row += ldb
        }
        store(c00, c); store(c01, c + 8)
        store(c10, c + ldc); store(c11, c + ldc + 8)
        store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 8)
        store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 8)
        store(c40, c + 4 * ldc); store(c41, c + 4 * ldc + 8)
        store(c50, c + 5 * ldc); store(c51, c + 5 * ldc + 8)
    }

    /// One row, columns 0..<16 of C: the same chain per element as in a tile.
    @inline(__always)
    static func row16(_ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>) {
        var c0 = V(), c1 = V()
        var row = b
        for p in 0..<k {
            let x = V(repeating: a[p])
            c0.addProduct(x, load(row)); c1.addProduct(x, load(row + 8))
            row += ldb
        }
        store(c0, c); store(c1, c + 8)
    }
}
