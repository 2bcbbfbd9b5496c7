/// Every way reading or writing data can fail. Each description names the file and says what is wrong.
public enum DataIOError: Error, CustomStringConvertible {
    case cannotRead(file: String, reason: String)
    case cannotWrite(file: String, reason: String)
    case emptyFile(file: String)
    case gzipTruncated(file: String)
    case gzipCorrupt(file: String, detail: String)
    case gzipTrailingData(file: String, bytes: Int)
    case decompressedTooLarge(file: String, limit: Int)
    case idxHeaderTooShort(file: String, bytes: Int)
    case idxWrongMagic(file: String, bytes: [UInt8])
    case idxUnknownType(file: String, code: UInt8)
    case idxNoDimensions(file: String)
    case idxDimensionsOverflow(file: String, dimensions: [Int])
    case idxTooLarge(file: String, bytes: Int, limit: Int)
    case idxTruncated(file: String, expected: Int, actual: Int)
    case idxTrailingBytes(file: String, expected: Int, actual: Int)
    case idxNotImages(file: String, shape: [Int])
    case idxNotLabels(file: String, detail: String)
    case labelCountMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case pngNotPNG(file: String)
    case pngTooLarge(file: String, width: Int, height: Int, limit: Int)
    case pngDecode(file: String, message: String)
    case pngEncode(file: String, message: String)
    case jpegNotJPEG(file: String)
    case jpegTooLarge(file: String, width: Int, height: Int, limit: Int)
    case jpegDecode(file: String, message: String)
    case jpegUnsupported(file: String, message: String)
    /// Neither PNG nor JPEG by its first bytes (at most 8 kept, for the message).
    case notAnImage(file: String, start: [UInt8])
    case imageSizeMismatch(file: String, width: Int, height: Int, expectedWidth: Int, expectedHeight: Int)
    case notAFolder(path: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .cannotRead(file, reason): return "\(file): cannot read: \(reason)"
        case let .cannotWrite(file, reason): return "\(file): cannot write: \(reason)"
        case let .emptyFile(file): return "\(file): the file is empty (0 bytes)"
        case let .gzipTruncated(file): return "\(file): the gzip stream is truncated (ends before its end marker)"
        case let .gzipCorrupt(file, detail): return "\(file): the gzip stream is corrupt: \(detail)"
        case let .gzipTrailingData(file, bytes): return "\(file): \(bytes) bytes of non-gzip data follow the gzip stream"
        case let .decompressedTooLarge(file, limit): return "\(file): decompresses to more than the limit of \(limit) bytes"
        case let .idxHeaderTooShort(file, bytes):
            return "\(file): only \(bytes) bytes, too short for an IDX header"
        case let .idxWrongMagic(file, bytes):
            let hex = bytes.map { String(format2hex: $0) }.joined(separator: " ")
            return "\(file): not an IDX file: the magic number is \(hex), expected 00 00 TYPE NDIMS"
        case let .idxUnknownType(file, code):
            return "\(file): unknown IDX element type 0x\(String(format2hex: code)) (known: 08 u8, 09 i8, 0B i16, 0C i32, 0D f32, 0E f64)"
        case let .idxNoDimensions(file): return "\(file): the IDX header declares 0 dimensions"
        case let .idxDimensionsOverflow(file, dims):
            return "\(file): the IDX dimensions \(dims) multiply to more than a 64-bit size can hold"
        case let .idxTooLarge(file, bytes, limit):
            return "\(file): the IDX header claims \(bytes) bytes of data, more than the limit of \(limit)"
        case let .idxTruncated(file, expected, actual):
            return "\(file): the IDX header promises \(expected) bytes of data but only \(actual) follow (truncated file)"
        case let .idxTrailingBytes(file, expected, actual):
            return "\(file): \(actual - expected) unexpected bytes after the \(expected) bytes of data the IDX header promises"
        case let .idxNotImages(file, shape):
            return "\(file): IDX shape \(shape) is not images: expected [count, height, width] or [count, height, width, channels]"
        case let .idxNotLabels(file, detail): return "\(file): not an IDX labels file: \(detail)"
        case let .labelCountMismatch(images, n, labels, m):
            return "\(labels): \(m) labels, but \(images) holds \(n) images"
        case let .pngNotPNG(file): return "\(file): not a PNG file (the 8-byte PNG signature is missing)"
        case let .pngTooLarge(file, w, h, limit):
            return "\(file): the PNG claims \(w)×\(h) pixels, more than the limit of \(limit) pixels"
        case let .pngDecode(file, message): return "\(file): cannot decode PNG: \(message)"
        case let .pngEncode(file, message): return "\(file): cannot encode PNG: \(message)"
        case let .jpegNotJPEG(file): return "\(file): not a JPEG file (the start-of-image marker FF D8 FF is missing)"
        case let .jpegTooLarge(file, w, h, limit):
            return "\(file): the JPEG claims \(w)×\(h) pixels, more than the limit of \(limit) pixels"
        case let .jpegDecode(file, message): return "\(file): cannot decode JPEG: \(message)"
        case let .jpegUnsupported(file, message): return "\(file): unsupported JPEG: \(message)"
        case let .notAnImage(file, start):
            let hex = start.map { String(format2hex: $0) }.joined(separator: " ")
            return "\(file): not a PNG or JPEG file (it starts with \(hex), neither the PNG signature nor the JPEG marker FF D8 FF)"
        case let .imageSizeMismatch(file, w, h, ew, eh):
            return "\(file): image is \(w)×\(h), the model expects \(ew)×\(eh) (use --resize to resample)"
        case let .notAFolder(path): return "\(path): not a folder"
        case let .invalidArgument(message): return message
        }
    }
}

extension String {
    init(format2hex byte: UInt8) {
        let digits = Array("0123456789ABCDEF")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
