/// NHWC pixels ↔ one plane per channel, eight pixels by eight channels at a time: eight
/// loads, an 8×8 transpose in registers (three rounds of even/odd lane splits) and eight
/// stores, instead of 64 scalar moves. Blocks whose 8-float accesses would leave the
/// allowed range (the image's end) fall back to scalar moves.
enum ChannelTranspose {
    typealias Rows = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                      SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

    /// planes[ch·planeStride + i] = x[i·channels + ch] for i < pixels; x may be read up to
    /// `readable` floats.
    static func toPlanes(_ x: UnsafePointer<Float>, pixels: Int, channels: Int, readable: Int,
                         into planes: UnsafeMutablePointer<Float>, planeStride: Int) {
        let blocks = (channels + 7) / 8
        var i = 0
        while i + 8 <= pixels, (i + 7) * channels + blocks * 8 <= readable {
            for c0 in stride(from: 0, to: channels, by: 8) {
                let s = x + i * channels + c0, c = channels
                let rows = transposed((load8(s), load8(s + c), load8(s + 2 * c), load8(s + 3 * c),
                                       load8(s + 4 * c), load8(s + 5 * c), load8(s + 6 * c), load8(s + 7 * c)))
                store(rows, count: min(8, channels - c0), into: planes + c0 * planeStride + i, stride: planeStride)
            }
            i += 8
        }
        for p in i..<pixels { for ch in 0..<channels { planes[ch * planeStride + p] = x[p * channels + ch] } }
    }

    /// x[i·channels + ch] = planes[ch·planeStride + i] for i < pixels; x may be written up to
    /// `writable` floats. A partial last block of channels spills into the next pixels' first
    /// channels, so blocks go from the last down and the spill is overwritten by block 0.
    static func fromPlanes(_ planes: UnsafePointer<Float>, planeStride: Int, pixels: Int, channels: Int,
                           writable: Int, into x: UnsafeMutablePointer<Float>) {
        let blocks = (channels + 7) / 8
        var i = 0
        while i + 8 <= pixels, (i + 7) * channels + blocks * 8 <= writable {
            for c0 in stride(from: (blocks - 1) * 8, through: 0, by: -8) {
                // Lanes past the last channel read plane c0 again; they land in the spill.
                func plane(_ k: Int) -> UnsafePointer<Float> { planes + (c0 + (c0 + k < channels ? k : 0)) * planeStride + i }
                let rows = transposed((load8(plane(0)), load8(plane(1)), load8(plane(2)), load8(plane(3)),
                                       load8(plane(4)), load8(plane(5)), load8(plane(6)), load8(plane(7))))
                store(rows, count: 8, into: x + i * channels + c0, stride: channels)
            }
            i += 8
        }
        for p in i..<pixels { for ch in 0..<channels { x[p * channels + ch] = planes[ch * planeStride + p] } }
    }

    /// The 8×8 transpose: three rounds of (evens of a, evens of b), (odds of a, odds of b).
    @inline(__always)
    static func transposed(_ r: Rows) -> Rows {
        var v = r
        for _ in 0..<3 {
            v = (SIMD8(lowHalf: v.0.evenHalf, highHalf: v.1.evenHalf), SIMD8(lowHalf: v.2.evenHalf, highHalf: v.3.evenHalf),
                 SIMD8(lowHalf: v.4.evenHalf, highHalf: v.5.evenHalf), SIMD8(lowHalf: v.6.evenHalf, highHalf: v.7.evenHalf),
                 SIMD8(lowHalf: v.0.oddHalf, highHalf: v.1.oddHalf), SIMD8(lowHalf: v.2.oddHalf, highHalf: v.3.oddHalf),
                 SIMD8(lowHalf: v.4.oddHalf, highHalf: v.5.oddHalf), SIMD8(lowHalf: v.6.oddHalf, highHalf: v.7.oddHalf))
        }
        return v
    }

    /// The first `count` rows, row k at p + k·stride.
    @inline(__always)
    static func store(_ r: Rows, count: Int, into p: UnsafeMutablePointer<Float>, stride: Int) {
        store8(r.0, p)
        if count > 1 { store8(r.1, p + stride) }
        if count > 2 { store8(r.2, p + 2 * stride) }
        if count > 3 { store8(r.3, p + 3 * stride) }
        if count > 4 { store8(r.4, p + 4 * stride) }
        if count > 5 { store8(r.5, p + 5 * stride) }
        if count > 6 { store8(r.6, p + 6 * stride) }
        if count > 7 { store8(r.7, p + 7 * stride) }
    }
}
