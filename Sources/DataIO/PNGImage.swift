import CPNG

/// A decoded image: Float32 [height, width, channels] in [0, 1].
public struct ImagePixels {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var values: [Float]
}

/// PNG through libpng's simplified `png_image_*` API, which reports errors without setjmp.
///
/// Decoding: every colour type, bit depth 1–16, palette, tRNS and Adam7. Samples are taken as stored,
/// scaled to [0, 1] (16-bit samples are first reduced to 8 bits by libpng). Colour-management chunks
/// (gAMA, cHRM, sRGB, iCCP) are ignored, so no gamma correction is applied. Colour becomes grayscale by
/// Rec. 601 luma (0.299 R + 0.587 G + 0.114 B, as Pillow's "L"); grayscale becomes colour by copying.
/// Alpha is composited over black in the stored values: out = value × alpha.
public enum PNG {
    /// The largest width × height decoded by default; checked before the pixel buffer is allocated.
    public static let defaultPixelLimit = 1 << 26

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    // png_image format flags (png.h PNG_FORMAT_FLAG_*).
    static let flagAlpha: UInt32 = 0x01
    static let flagColor: UInt32 = 0x02
    static let flag16BitSRGB: UInt32 = 0x04  // PNG_IMAGE_FLAG_16BIT_sRGB: 16-bit files are not linear-light
    static let flagFast: UInt32 = 0x02  // PNG_IMAGE_FLAG_FAST: speed over size on write

    public static func read(path: String, channels: Int, pixelLimit: Int = defaultPixelLimit) throws -> ImagePixels {
        let buffer = try ByteBuffer.read(path: path)
        return try decode(buffer.bytes, file: path, channels: channels, pixelLimit: pixelLimit)
    }

    /// Decodes a PNG held in memory into `channels` (1 or 3) channels.
    public static func decode(_ bytes: UnsafeRawBufferPointer, file: String, channels: Int,
                              pixelLimit: Int = defaultPixelLimit) throws -> ImagePixels {
        guard channels == 1 || channels == 3 else { throw DataIOError.invalidArgument("PNG: \(channels) channels requested; 1 or 3 are supported") }
        if bytes.isEmpty { throw DataIOError.emptyFile(file: file) }
        guard bytes.count >= 8, bytes.prefix(8).elementsEqual(signature) else { throw DataIOError.pngNotPNG(file: file) }
        if let stripped = try PNGChunks.check(bytes, file: file) {
            return try stripped.withUnsafeBytes { try decodeStream($0, file: file, channels: channels, pixelLimit: pixelLimit) }
        }
        return try decodeStream(bytes, file: file, channels: channels, pixelLimit: pixelLimit)
    }

    private static func decodeStream(_ bytes: UnsafeRawBufferPointer, file: String, channels: Int,
                                     pixelLimit: Int) throws -> ImagePixels {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
            throw DataIOError.pngDecode(file: file, message: message(of: &image))
        }
        let width = Int(image.width), height = Int(image.height)
        guard width * height <= pixelLimit else {
            png_image_free(&image)
            throw DataIOError.pngTooLarge(file: file, width: width, height: height, limit: pixelLimit)
        }
        let hasColor = image.format & flagColor != 0, hasAlpha = image.format & flagAlpha != 0
        let readColor = hasColor || channels == 3
        let readChannels = (readColor ? 3 : 1) + (hasAlpha ? 1 : 0)
        image.format = (readColor ? flagColor : 0) | (hasAlpha ? flagAlpha : 0)
        image.flags |= flag16BitSRGB
        var raw = [UInt8](repeating: 0, count: width * height * readChannels)
        let ok = raw.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else { throw DataIOError.pngDecode(file: file, message: message(of: &image)) }
        let values = PixelConversion.toUnitFloats(raw, pixels: width * height, readChannels: readChannels,
                                                  hasAlpha: hasAlpha, channels: channels)
        return ImagePixels(width: width, height: height, channels: channels, values: values)
    }

    private static func message(of image: inout png_image) -> String {
        png_image_free(&image)
        let text = withUnsafeBytes(of: &image.message) { raw -> String in
            let chars = raw.prefix { $0 != 0 }
            return String(decoding: chars, as: UTF8.self)
        }
        return text.isEmpty ? "libpng error" : text
    }

    /// Encodes 8-bit grayscale (channels 1) or RGB (channels 3) pixels, row-major. `fast` trades
    /// size for speed (libpng's fast filter and zlib level): for a run's own pictures (maps,
    /// overlays, grids), where at 1024×1024 the default compression took longer than scoring
    /// the images (files about 40% larger).
    public static func encode(_ pixels: [UInt8], width: Int, height: Int, channels: Int, file: String = "<memory>",
                              fast: Bool = false) throws -> ByteBuffer {
        guard channels == 1 || channels == 3 else { throw DataIOError.pngEncode(file: file, message: "\(channels) channels; 1 or 3 are supported") }
        guard width > 0, height > 0, pixels.count == width * height * channels else {
            throw DataIOError.pngEncode(file: file, message: "\(pixels.count) bytes for \(width)×\(height)×\(channels)")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 3 ? flagColor : 0
        if fast { image.flags = flagFast }
        // One pass into a buffer of libpng's upper bound (PNG_IMAGE_PNG_SIZE_MAX); asking for the
        // size first (a nil buffer) compresses the whole image just to count the bytes.
        var output = ByteBuffer(capacity: maximumEncodedSize(width: width, height: height, channels: channels))
        var size = png_alloc_size_t(output.capacity)
        if png_image_write_to_memory(&image, output.pointer, &size, 0, pixels, 0, nil) == 0 {
            guard Int(size) > output.capacity else { throw DataIOError.pngEncode(file: file, message: message(of: &image)) }
            output = ByteBuffer(capacity: Int(size))  // the bound was too small after all: the size it needs
            guard png_image_write_to_memory(&image, output.pointer, &size, 0, pixels, 0, nil) != 0 else {
                throw DataIOError.pngEncode(file: file, message: message(of: &image))
            }
        }
        output.count = Int(size)
        return output
    }

    /// png.h's PNG_IMAGE_PNG_SIZE_MAX for 8-bit gray or RGB without a colour map: the filter byte of
    /// each row, zlib's worst-case expansion, 12 bytes per IDAT chunk of 8 KB, and the fixed chunks.
    static func maximumEncodedSize(width: Int, height: Int, channels: Int) -> Int {
        let data = width * channels * height + height
        let compressed = data + (data + 7) >> 3 + (data + 63) >> 6 + 11
        return 8 + 25 + 16 + 44 + 12 + 12 + 12 * (compressed / 8192) + compressed
    }

    /// Writes 8-bit pixels to `path` (temporary file + rename).
    public static func write(_ pixels: [UInt8], width: Int, height: Int, channels: Int, to path: String) throws {
        try encode(pixels, width: width, height: height, channels: channels, file: path).write(to: path)
    }

    /// Writes floats in [0, 1] (clamped, rounded to 8 bits) to `path`.
    public static func write(unitFloats values: [Float], width: Int, height: Int, channels: Int, to path: String) throws {
        try write(PixelConversion.toBytes(values), width: width, height: height, channels: channels, to: path)
    }
}
