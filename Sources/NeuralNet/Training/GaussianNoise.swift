/// Clipped Gaussian noise for denoising training: x ← clamp(x + σ·N(0, 1), 0, 1). Every
/// 16 elements take one block of eight words of the stream, drawn in order on one thread
/// (cheap), turned into 16 normals by BoxMuller8 on the threads given. The values depend only on
/// the generator's state and the element count, not on the threads.
final class GaussianNoise {
    private var words: [UInt64] = []

    func add(sigma: Float, to x: Tensor, rng: inout SeededRandom, parallelism: Parallelism = .serial) {
        let n = x.count, blocks = (n + 15) / 16
        if words.count < 8 * blocks { words = [UInt64](repeating: 0, count: 8 * blocks) }
        words.withUnsafeMutableBufferPointer { buffer in
            let w = buffer.baseAddress!, p = x.ptr
            for i in 0..<(8 * blocks) { w[i] = rng.next() }
            parallelism.split(blocks, work: n, minimum: 4096) { range, _ in
                for b in range { GaussianNoise.addBlock(b, sigma: sigma, words: w, to: p, count: n) }
            }
        }
    }

    /// Elements 16b..<16b + 16 (those below count): the cos halves first, then the sin halves.
    @inline(__always)
    private static func addBlock(_ b: Int, sigma: Float, words: UnsafePointer<UInt64>,
                                 to p: UnsafeMutablePointer<Float>, count: Int) {
        let z = BoxMuller8.normals(UnsafeRawPointer(words + 8 * b).loadUnaligned(as: SIMD8<UInt64>.self))
        let at = p + 16 * b
        if 16 * b + 16 <= count {
            store8(clamped(load8(at), sigma * z.cos), at)
            store8(clamped(load8(at + 8), sigma * z.sin), at + 8)
            return
        }
        for i in 0..<(count - 16 * b) {
            at[i] = min(max(at[i] + sigma * (i < 8 ? z.cos[i] : z.sin[i - 8]), 0), 1)
        }
    }

    @inline(__always)
    private static func clamped(_ x: SIMD8<Float>, _ noise: SIMD8<Float>) -> SIMD8<Float> {
        let y = x + noise
        return y.replacing(with: 0, where: y .< 0).replacing(with: 1, where: y .> 1)
    }
}
