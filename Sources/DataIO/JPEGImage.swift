import CJPEG

/// JPEG through libjpeg-turbo's libjpeg API, behind the C helper `aed_jpeg_decode` (Sources/CJPEG/shim.h),
/// whose setjmp-based error manager turns libjpeg's fatal errors into a message instead of exit().
///
/// Decoding: baseline, progressive and arithmetic-coded 8-bit JPEGs in gray, YCbCr, RGB, CMYK or YCCK, to
/// the same Float32 [height, width, channels] in [0, 1] as `PNG.decode`. Colour files are decoded to RGB
/// (CMYK and YCCK as Pillow converts them, inverted when an Adobe marker says so) and then take the PNG
/// path to the model's channels: Rec. 601 luma for one channel; gray files are copied to three. The EXIF
/// orientation, when there is one, is applied, so width and height are those of the upright picture.
/// 12-bit files are refused. A file whose entropy-coded data is truncated or corrupt is an error, not an
/// image filled out with gray (libjpeg's default is to warn and go on).
public enum JPEG {
    /// Start of image, then the first byte of the next marker: FF D8 FF.
    static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    public static func read(path: String, channels: Int, pixelLimit: Int = PNG.defaultPixelLimit) throws -> ImagePixels {
        let buffer = try ByteBuffer.read(path: path)
        return try decode(buffer.bytes, file: path, channels: channels, pixelLimit: pixelLimit)
    }

    /// Decodes a JPEG held in memory into `channels` (1 or 3) channels. Width × height above
    /// `pixelLimit` is refused after the header is read, before the pixels are allocated.
    public static func decode(_ bytes: UnsafeRawBufferPointer, file: String, channels: Int,
                              pixelLimit: Int = PNG.defaultPixelLimit) throws -> ImagePixels {
        guard channels == 1 || channels == 3 else { throw DataIOError.invalidArgument("JPEG: \(channels) channels requested; 1 or 3 are supported") }
        if bytes.isEmpty { throw DataIOError.emptyFile(file: file) }
        guard bytes.starts(with: signature) else { throw DataIOError.jpegNotJPEG(file: file) }
        var image = AEDJPEGImage()
        let status = aed_jpeg_decode(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count,
                                     Int32(channels), UInt64(max(pixelLimit, 0)), &image)
        defer { aed_jpeg_free(&image) }
        let width = Int(image.width), height = Int(image.height)
        switch status {
        case AED_JPEG_OK:
            let decoded = Int(image.channels)
            let raw = UnsafeBufferPointer(start: image.pixels, count: width * height * decoded)
            let values = PixelConversion.toUnitFloats(raw, pixels: width * height, readChannels: decoded,
                                                      hasAlpha: false, channels: channels)
            let pixels = ImagePixels(width: width, height: height, channels: channels, values: values)
            return orientation(of: image)?.apply(to: pixels) ?? pixels
        case AED_JPEG_TOO_LARGE:
            throw DataIOError.jpegTooLarge(file: file, width: width, height: height, limit: pixelLimit)
        case AED_JPEG_UNSUPPORTED:
            throw DataIOError.jpegUnsupported(file: file, message: message(of: &image))
        case AED_JPEG_NO_MEMORY:
            throw DataIOError.jpegDecode(file: file, message: "out of memory for \(width)×\(height) pixels")
        default:
            let text = message(of: &image)
            throw DataIOError.jpegDecode(file: file, message: text.isEmpty ? "libjpeg error" : text)
        }
    }

    private static func orientation(of image: AEDJPEGImage) -> ExifOrientation? {
        guard let exif = image.exif else { return nil }
        return ExifOrientation(tiff: UnsafeRawBufferPointer(start: exif, count: image.exif_length))
    }

    private static func message(of image: inout AEDJPEGImage) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
