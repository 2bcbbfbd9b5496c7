import Dispatch

/// Clipped Gaussian noise for denoising training: x ← clamp(x + σ·N(0, 1), 0, 1), with the
/// very values of calling rng.normal() element by element. The words of the stream are
/// drawn in order on one thread (cheap); the Box–Muller log and cos, most of the time,
/// run on two threads. It ran serially between the parallel layers otherwise.
final class GaussianNoise {
    private var words: [UInt64] = []

    func add(sigma: Float, to x: Tensor, rng: inout SeededRandom) {
        let n = x.count
        if words.count < 2 * n { words = [UInt64](repeating: 0, count: 2 * n) }
        words.withUnsafeMutableBufferPointer { buffer in
            let w = buffer.baseAddress!, p = x.ptr
            for i in 0..<(2 * n) { w[i] = rng.next() }
            let half = (n + 1) / 2
            DispatchQueue.concurrentPerform(iterations: n >= 4096 ? 2 : 1) { part in
                let range = part == 0 ? 0..<(n >= 4096 ? half : n) : half..<n
                for i in range {
                    p[i] = min(max(p[i] + sigma * SeededRandom.normal(w[2 * i], w[2 * i + 1]), 0), 1)
                }
            }
        }
    }
}
