/// The image formats read as model inputs, told apart by their first bytes, never by the file's name.
public enum ImageFormat: Sendable {
    case png
    case jpeg

    /// PNG's 8-byte signature, or JPEG's start-of-image marker followed by another marker (FF D8 FF).
    public init?(sniffing bytes: UnsafeRawBufferPointer) {
        if bytes.starts(with: PNG.signature) {
            self = .png
        } else if bytes.starts(with: JPEG.signature) {
            self = .jpeg
        } else {
            return nil
        }
    }
}

/// Decodes an input image of any supported format: the one place that chooses the decoder.
public enum ImageDecoder {
    public static func read(path: String, channels: Int, pixelLimit: Int = PNG.defaultPixelLimit) throws -> ImagePixels {
        let buffer = try ByteBuffer.read(path: path)
        return try decode(buffer.bytes, file: path, channels: channels, pixelLimit: pixelLimit)
    }

    /// Decodes a PNG or JPEG held in memory into `channels` (1 or 3) Float32 channels in [0, 1].
    public static func decode(_ bytes: UnsafeRawBufferPointer, file: String, channels: Int,
                              pixelLimit: Int = PNG.defaultPixelLimit) throws -> ImagePixels {
        if bytes.isEmpty { throw DataIOError.emptyFile(file: file) }
        switch ImageFormat(sniffing: bytes) {
        case .png: return try PNG.decode(bytes, file: file, channels: channels, pixelLimit: pixelLimit)
        case .jpeg: return try JPEG.decode(bytes, file: file, channels: channels, pixelLimit: pixelLimit)
        case nil: throw DataIOError.notAnImage(file: file, start: Array(bytes.prefix(8)))
        }
    }
}
