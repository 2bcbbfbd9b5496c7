import COpenBLAS
import Dispatch
import Foundation

/// How many threads a run's own kernels share their work between: `--threads`, passed from
/// the command to the model (`Sequential.parallelism`), its layers, the trainer and the scoring.
///
/// How work is cut never changes a result. `split` is for work whose every output element is
/// computed by one range alone, in the same way whatever the range (elementwise updates, images
/// through `stableGEMM` or the direct kernels): its ranges follow `parts`. Work that is summed
/// across pieces, or that goes through OpenBLAS (whose result for a row depends on the rows
/// beside it in the call), is cut into pieces fixed by the caller and independent of `parts`
/// (`forEach`), and the pieces' results are combined in piece order.
public struct Parallelism: Sendable, Equatable, CustomStringConvertible {
    public let parts: Int

    public init(parts: Int) { self.parts = max(1, parts) }

    public static let serial = Parallelism(parts: 1)
    /// One part per core the process may use.
    public static var machine: Parallelism { Parallelism(parts: ProcessInfo.processInfo.activeProcessorCount) }

    /// Below this many multiply-adds (GEMMs) or floats (streamed work) a job stays on one
    /// thread: a hand-off costs a few microseconds.
    public static let minimumMultiplyAdds = 1 << 20
    public static let minimumFloats = 1 << 16

    public var description: String { parts == 1 ? "1 thread" : "\(parts) threads" }

    /// body(range, part) over min(parts, count) contiguous ranges of 0..<count, at once; part
    /// is the range's index (for per-part scratch buffers). On one part, body(0..<count, 0).
    /// For work whose results do not depend on the ranges only.
    public func split(_ count: Int, _ body: (Range<Int>, Int) -> Void) {
        let n = min(parts, count)
        guard n > 1 else { if count > 0 { body(0..<count, 0) }; return }
        concurrently(n) { part in body(Parallelism.range(part, of: n, count), part) }
    }

    /// `split`, or one part when there are fewer than `minimum` units of work (a hand-off costs
    /// a few microseconds).
    public func split(_ count: Int, work: Int, minimum: Int, _ body: (Range<Int>, Int) -> Void) {
        (work >= minimum ? self : .serial).split(count, body)
    }

    /// body(piece, part) for every piece in 0..<pieces on up to `parts` threads, each taking the
    /// next piece as it finishes one (a core slowed by another process takes fewer). `part`
    /// (0..<parts) names the thread, for its scratch buffers; which thread runs a piece varies,
    /// so a piece must write only its own outputs.
    public func forEach(_ pieces: Int, _ body: (Int, Int) -> Void) {
        let n = min(parts, pieces)
        guard n > 1 else { for piece in 0..<pieces { body(piece, 0) }; return }
        let queue = PieceQueue(count: pieces)
        concurrently(n) { part in
            while let piece = queue.next() { body(piece, part) }
        }
    }

    /// Piece `i` of `n` near-equal contiguous pieces of 0..<count (the larger ones first).
    public static func range(_ i: Int, of n: Int, _ count: Int) -> Range<Int> {
        let base = count / n, extra = count % n
        let start = i * base + min(i, extra)
        return start..<(start + base + (i < extra ? 1 : 0))
    }

    /// Runs body(0..<n) on n threads with OpenBLAS single-threaded meanwhile: our threads
    /// already keep the cores busy, and OpenBLAS's workers would spin against them.
    private func concurrently(_ n: Int, _ body: (Int) -> Void) {
        Parallelism.withSingleThreadedBLAS { DispatchQueue.concurrentPerform(iterations: n, execute: body) }
    }

    /// Runs body with OpenBLAS on one thread, then gives it back its count. A network's GEMMs
    /// run so, training and inference alike: the result of an OpenBLAS call can depend on its
    /// thread count, and the network's threads are ours (its pieces), fixed whatever `parts` is.
    public static func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
        let blasThreads = openblas_get_num_threads()
        guard blasThreads != 1 else { return try body() }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(blasThreads) }
        return try body()
    }
}

/// Hands out piece indices 0, 1, ... to whichever thread asks next.
final class PieceQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0
    private let count: Int

    init(count: Int) { self.count = count }

    /// The next piece not yet taken, or nil when all are.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }
}
