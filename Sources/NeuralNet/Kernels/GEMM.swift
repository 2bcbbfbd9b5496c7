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

/// OpenBLAS's own thread count, which the run sets once from `--threads` (its results are
/// repeatable for a fixed count). Our kernels' threads are a `Parallelism`.
public enum BLASThreads {
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
    public static var current: Int { Int(openblas_get_num_threads()) }
}
