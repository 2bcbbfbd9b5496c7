extension ExifOrientation {
    /// The pixels turned upright: the same transposition Pillow's ImageOps.exif_transpose makes.
    public func apply(to image: ImagePixels) -> ImagePixels {
        if self == .normal { return image }
        let (w, h, c) = (image.width, image.height, image.channels)
        let (outWidth, outHeight) = swapsAxes ? (h, w) : (w, h)
        var values = [Float](repeating: 0, count: image.values.count)
        image.values.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let (sx, sy) = source(x: x, y: y, width: w, height: h)
                        let from = (sy * w + sx) * c, to = (y * outWidth + x) * c
                        for k in 0..<c { dst[to + k] = src[from + k] }
                    }
                }
            }
        }
        return ImagePixels(width: outWidth, height: outHeight, channels: c, values: values)
    }

    /// The stored pixel shown at (x, y) of the upright image; `width` and `height` are the stored sizes.
    func source(x: Int, y: Int, width w: Int, height h: Int) -> (x: Int, y: Int) {
        switch self {
        case .normal: return (x, y)
        case .mirrored: return (w - 1 - x, y)
        case .rotated180: return (w - 1 - x, h - 1 - y)
        case .flipped: return (x, h - 1 - y)
        case .transposed: return (y, x)
        case .rotatedClockwise: return (y, h - 1 - x)
        case .transverse: return (w - 1 - y, h - 1 - x)
        case .rotatedCounterclockwise: return (w - 1 - y, x)
        }
    }
}
