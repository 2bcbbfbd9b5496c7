import Dispatch
import COpenBLAS

/// C = α·op(A)·op(B) + β·C, row-major, through OpenBLAS's `cblas_sgemm`.
/// op(A) is m×k, op(B) is k×n, C is m×n; leading dimensions are the row strides
/// of the matrices as stored.
@inline(__always)
public func gemm(transA: Bool = false, transB: Bool = false,
                 m: Int, n: Int, k: Int,
                 alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// OpenBLAS thread count (results are repeatable for a fixed count).
public enum BLASThreads {
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Runs `part(0)` and `part(1)` on two threads with OpenBLAS single-threaded meanwhile, or
    /// one after the other when OpenBLAS is already set to one thread: `--threads 1` then holds
    /// for our own kernels too, and a split nested in another split does not put four threads on
    /// two cores. The parts are the same either way, so results do not depend on the thread count.
    public static func twoParts(_ part: (Int) -> Void) {
        let threads = current
        guard threads > 1 else { part(0); part(1); return }
        set(1)
        defer { set(threads) }
        DispatchQueue.concurrentPerform(iterations: 2, execute: part)
    }
}
