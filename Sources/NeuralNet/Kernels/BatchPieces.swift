/// The fixed cut of a batch for work summed over its images (a conv layer's dW and db): pieces
/// of `imagesPerPiece` images whatever the thread count, each with its own partial sum, the
/// partial sums added in piece order. The sum is then the same on any number of threads.
struct BatchPieces {
    static let imagesPerPiece = 32
    let batch: Int

    var count: Int { (batch + Self.imagesPerPiece - 1) / Self.imagesPerPiece }

    func images(_ piece: Int) -> Range<Int> {
        piece * Self.imagesPerPiece..<min(batch, (piece + 1) * Self.imagesPerPiece)
    }

    /// out[i] = Σ over pieces p in order of partials[p·size + i].
    static func sum(_ partials: UnsafePointer<Float>, pieces: Int, size: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(from: partials, count: size)
        for p in 1..<max(1, pieces) {
            let part = partials + p * size
            for i in 0..<size { out[i] += part[i] }
        }
    }
}

/// One scratch tensor per thread of a layer's splits.
final class PerThread {
    private var tensors: [Tensor] = []

    /// The tensors of `parallelism`'s threads; called before the threads start (they must not grow the list).
    func of(_ parallelism: Parallelism) -> [Tensor] {
        while tensors.count < parallelism.parts { tensors.append(Tensor()) }
        return tensors
    }
}

extension BatchPieces {
    /// body(images, piece, thread) for every piece, on `parallelism`'s threads when there are
    /// at least `Parallelism.minimumFloats` units of work.
    func forEach(on parallelism: Parallelism, work: Int, _ body: (Range<Int>, Int, Int) -> Void) {
        (work >= Parallelism.minimumFloats ? parallelism : .serial).forEach(count) { piece, thread in
            body(images(piece), piece, thread)
        }
    }
}
