#if canImport(Glibc)
import Glibc
#endif

/// Keras's default initialisers.
public enum Initializer {
    /// glorot_uniform: U(−l, l), l = √(6 / (fan_in + fan_out)). For a kernel of shape
    /// (..., a, b) Keras takes fan_in = a·r, fan_out = b·r with r the product of the
    /// leading (receptive field) dimensions.
    public static func glorotUniform(_ t: Tensor, rng: inout SeededRandom) {
        let s = t.shape
        let receptive = s.dropLast(2).reduce(1, *)
        let fanIn = Float((s.count >= 2 ? s[s.count - 2] : s[0]) * receptive)
        let fanOut = Float((s.count >= 2 ? s[s.count - 1] : s[0]) * receptive)
        let limit = (6 / (fanIn + fanOut)).squareRoot()
        for i in 0..<t.count { t[i] = rng.uniform(-limit, limit) }
    }

    /// orthogonal (gain 1) for a 2-D (rows, cols) kernel: Q of the QR decomposition of
    /// a normal (max, min) matrix, signs fixed by diag(R), transposed when rows < cols.
    public static func orthogonal(_ t: Tensor, rng: inout SeededRandom) {
        precondition(t.shape.count == 2)
        let rows = t.shape[0], cols = t.shape[1]
        let n = max(rows, cols), k = min(rows, cols)
        // a: n×k column vectors, orthonormalised by modified Gram–Schmidt (= QR with R's
        // diagonal positive, which is Keras's sign correction).
        var a = [Double](repeating: 0, count: n * k)
        for i in 0..<(n * k) { a[i] = Double(rng.normal()) }
        for j in 0..<k {
            for p in 0..<j {
                var dot = 0.0
                for i in 0..<n { dot += a[i * k + p] * a[i * k + j] }
                for i in 0..<n { a[i * k + j] -= dot * a[i * k + p] }
            }
            var norm = 0.0
            for i in 0..<n { norm += a[i * k + j] * a[i * k + j] }
            norm = norm.squareRoot()
            for i in 0..<n { a[i * k + j] /= norm }
        }
        for r in 0..<rows {
            for c in 0..<cols {
                // rows >= cols: q is rows×cols directly; otherwise q is cols×rows, transposed.
                t[r * cols + c] = Float(rows >= cols ? a[r * k + c] : a[c * k + r])
            }
        }
    }
}
