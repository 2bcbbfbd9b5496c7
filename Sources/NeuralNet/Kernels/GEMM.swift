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

/// Threads: the run's budget (`--threads`), OpenBLAS's thread count (results are repeatable for
/// a fixed count), and our own kernels' two-way splits.
public enum BLASThreads {
    /// How many threads the run may use. Code that wants OpenBLAS single-threaded for a while
    /// (around its own splits, or small GEMMs) changes OpenBLAS's count with `set`, not this.
    nonisolated(unsafe) public private(set) static var budget = Int(openblas_get_num_threads())

    /// Sets the run's budget and OpenBLAS's thread count to it (the CLI's `--threads`).
    public static func use(_ n: Int) {
        budget = max(1, n)
        set(budget)
    }

    public static func set(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// True while a `twoParts` split runs: both cores are then busy with its parts.
    nonisolated(unsafe) private static var splitting = false

    /// Runs `part(0)` and `part(1)` on two threads with OpenBLAS single-threaded meanwhile, or
    /// one after the other on a budget of one thread, so that `--threads 1` holds for our own
    /// kernels too. The parts are the same either way: results do not depend on the budget.
    /// A split inside a part of another also runs its parts one after the other (the trainer
    /// gives each core half of a batch, and the layers inside would split again).
    public static func twoParts(_ part: (Int) -> Void) {
        guard budget > 1, !splitting else { part(0); part(1); return }
        let threads = current
        set(1)
        splitting = true
        defer { splitting = false; set(threads) }
        DispatchQueue.concurrentPerform(iterations: 2, execute: part)
    }
}
