/// Runs a layer's work as two halves of the batch on two threads, with OpenBLAS single-
/// threaded meanwhile. For the conv layers' GEMMs (a few to a few hundred columns) this
/// beats letting OpenBLAS split each call: its worker threads spin between the many small
/// calls and fight our own threads for the two cores (about a fifth of the time went there).
public enum BatchHalves {
    /// Below this many floats of work per call the batch stays on one thread.
    public static let minimumWork = 1 << 16

    /// body(images, part) with part 0 or 1; each part must write only its own images and
    /// its own per-part buffers. One part only when the batch or the work is small.
    public static func run(batch: Int, work: Int, _ body: (Range<Int>, Int) -> Void) {
        guard batch >= 2, work >= minimumWork else { return body(0..<batch, 0) }
        BothCores.halves(batch, body)
    }
}
