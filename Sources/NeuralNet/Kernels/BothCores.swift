/// Runs two independent pieces of work at once, one per core, with OpenBLAS single-threaded
/// meanwhile. At a training batch of 100 rows OpenBLAS's own two-thread split of a GEMM
/// is poor, and its workers keep spinning after each call; two whole single-threaded GEMMs
/// side by side (a layer's dW and dX, or two halves of one product) keep both cores busy.
public enum BothCores {
    /// Below this many multiply-adds a layer's work stays on one thread: the hand-off costs
    /// a few microseconds.
    public static let minimumMultiplyAdds = 1 << 20

    public static func run(_ first: () -> Void, _ second: () -> Void) {
        BLASThreads.twoParts { part in
            if part == 0 { first() } else { second() }
        }
    }

    /// body(range, part) over the two halves of 0..<count, at once.
    public static func halves(_ count: Int, _ body: (Range<Int>, Int) -> Void) {
        let half = (count + 1) / 2
        run({ body(0..<half, 0) }, { body(half..<count, 1) })
    }
}
