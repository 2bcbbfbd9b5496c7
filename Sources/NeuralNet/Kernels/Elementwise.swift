/// Small elementwise kernels over raw pointers (no per-element allocation).
public enum Elementwise {
    /// y[r, j] += bias[j] for every row r of an rows×cols matrix.
    @inline(__always)
    public static func addBias(_ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = y + r * cols
            for j in 0..<cols { row[j] += bias[j] }
        }
    }

    /// db[j] = Σ_r dy[r, j].
    @inline(__always)
    public static func sumRows(_ dy: UnsafePointer<Float>, rows: Int, cols: Int, into db: UnsafeMutablePointer<Float>) {
        db.update(repeating: 0, count: cols)
        addRowSums(dy, rows: rows, cols: cols, into: db)
    }

    /// db[j] += Σ_r dy[r, j].
    public static func addRowSums(_ dy: UnsafePointer<Float>, rows: Int, cols: Int, into db: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = dy + r * cols
            for j in 0..<cols { db[j] += row[j] }
        }
    }
}
