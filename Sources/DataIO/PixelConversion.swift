/// Conversions between decoded 8-bit samples and the model's Float32 [0, 1] channels.
enum PixelConversion {
    /// Rec. 601 luma weights, the same as Pillow's RGB → "L".
    static let luma: (r: Float, g: Float, b: Float) = (0.299, 0.587, 0.114)

    /// `raw` holds `pixels` pixels of `readChannels` bytes (gray, gray+alpha, RGB or RGBA).
    /// Alpha is composited over black: value × alpha.
    static func toUnitFloats(_ raw: [UInt8], pixels: Int, readChannels: Int, hasAlpha: Bool, channels: Int) -> [Float] {
        raw.withUnsafeBufferPointer {
            toUnitFloats($0, pixels: pixels, readChannels: readChannels, hasAlpha: hasAlpha, channels: channels)
        }
    }

    /// The same, from bytes held elsewhere (a C decoder's buffer).
    static func toUnitFloats(_ src: UnsafeBufferPointer<UInt8>, pixels: Int, readChannels: Int, hasAlpha: Bool,
                             channels: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: pixels * channels) { out, initialized in
            let colour = readChannels >= 3
            for p in 0..<pixels {
                let s = p * readChannels
                let alpha: Float = hasAlpha ? Float(src[s + readChannels - 1]) / 255 : 1
                if !colour {
                    out[p] = Float(src[s]) / 255 * alpha
                } else if channels == 1 {
                    let y = luma.r * Float(src[s]) + luma.g * Float(src[s + 1]) + luma.b * Float(src[s + 2])
                    out[p] = y / 255 * alpha
                } else {
                    for c in 0..<3 { out[3 * p + c] = Float(src[s + c]) / 255 * alpha }
                }
            }
            initialized = pixels * channels
        }
    }

    /// Floats in [0, 1] to bytes, clamped and rounded to nearest.
    static func toBytes(_ values: [Float]) -> [UInt8] {
        values.map { v in UInt8((min(max(v.isNaN ? 0 : v, 0), 1) * 255).rounded()) }
    }
}
