/// Sixteen pixels of a row by five filters, in ten SIMD8 accumulators: the register blocking
/// of the planar convolutions (`PlanarConv.correlate`, `PlanarWinograd`'s per-term products).
/// Each input load feeds five FMAs and each broadcast weight two, and ten independent chains
/// keep both FMA units busy. Must be inlined to stay in registers.
struct FilterTile {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>(), a4 = SIMD8<Float>()
    var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>(), b3 = SIMD8<Float>(), b4 = SIMD8<Float>()

    /// Adds x[0..<16]·w[f] to filter f's accumulators, for the five weights at w.
    @inline(__always)
    mutating func add(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>) {
        let x0 = load8(x), x1 = load8(x + 8)
        let w0 = SIMD8<Float>(repeating: w[0]), w1 = SIMD8<Float>(repeating: w[1])
        a0 = a0.addingProduct(x0, w0); b0 = b0.addingProduct(x1, w0)
        a1 = a1.addingProduct(x0, w1); b1 = b1.addingProduct(x1, w1)
        let w2 = SIMD8<Float>(repeating: w[2]), w3 = SIMD8<Float>(repeating: w[3])
        a2 = a2.addingProduct(x0, w2); b2 = b2.addingProduct(x1, w2)
        a3 = a3.addingProduct(x0, w3); b3 = b3.addingProduct(x1, w3)
        let w4 = SIMD8<Float>(repeating: w[4])
        a4 = a4.addingProduct(x0, w4); b4 = b4.addingProduct(x1, w4)
    }

    /// Filter f's 16 sums to out + f·filterStride.
    @inline(__always)
    func store(_ out: UnsafeMutablePointer<Float>, filterStride s: Int) {
        store8(a0, out); store8(b0, out + 8)
        store8(a1, out + s); store8(b1, out + s + 8)
        store8(a2, out + 2 * s); store8(b2, out + 2 * s + 8)
        store8(a3, out + 3 * s); store8(b3, out + 3 * s + 8)
        store8(a4, out + 4 * s); store8(b4, out + 4 * s + 8)
    }
}
