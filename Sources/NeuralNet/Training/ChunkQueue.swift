import Foundation

/// Hands out chunk indices 0, 1, ... to whichever thread asks next, so a core that another
/// process slows down takes fewer chunks of a batch.
final class ChunkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0
    private let count: Int

    init(count: Int) { self.count = count }

    /// The next chunk not yet taken, or nil when all are.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }
}
