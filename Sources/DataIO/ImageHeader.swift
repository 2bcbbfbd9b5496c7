#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An image file's size and whether it is colour, read from its first bytes without decoding
/// the pixels: PNG's IHDR chunk, or a JPEG's start-of-frame marker. Used to survey a folder
/// (the geometry a model is fitted at) in milliseconds where decoding would take seconds.
public struct ImageHeader: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Colour (RGB, palette or colour + alpha) rather than grayscale.
    public let isColour: Bool

    public init(width: Int, height: Int, isColour: Bool) {
        self.width = width; self.height = height; self.isColour = isColour
    }

    /// Reads the header of the file at `path`; nil when it is neither a PNG nor a JPEG it can parse.
    public static func read(path: String) -> ImageHeader? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 64 * 1024)
        let n = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        return parse(Array(bytes.prefix(n)))
    }

    public static func parse(_ b: [UInt8]) -> ImageHeader? {
        if b.count >= 26, b.prefix(8).elementsEqual(PNG.signature), b[12...15].elementsEqual(Array("IHDR".utf8)) {
            let width = Int(bigEndian32(b, 16)), height = Int(bigEndian32(b, 20))
            // Colour types 2 (RGB), 3 (palette) and 6 (RGBA) carry colour; 0 and 4 are gray.
            return ImageHeader(width: width, height: height, isColour: [2, 3, 6].contains(b[25]))
        }
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 { return jpegFrame(b) }
        return nil
    }

    /// Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC). The size is the
    /// upright picture's: an Exif orientation of 5–8 (seen in an APP1 marker before the frame) swaps it.
    private static func jpegFrame(_ b: [UInt8]) -> ImageHeader? {
        var i = 2
        var orientation: ExifOrientation?
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if marker == 0xE1, orientation == nil, length > 8 { orientation = exifOrientation(b, segment: (i + 4)..<(i + 2 + length)) }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                let height = Int(b[i + 5]) << 8 | Int(b[i + 6]), width = Int(b[i + 7]) << 8 | Int(b[i + 8])
                let swap = orientation?.swapsAxes ?? false
                return ImageHeader(width: swap ? height : width, height: swap ? width : height, isColour: b[i + 9] >= 3)
            }
            i += 2 + length
        }
        return nil
    }

    /// The orientation in an APP1 segment's payload when it is "Exif\0\0" and a TIFF structure.
    private static func exifOrientation(_ b: [UInt8], segment: Range<Int>) -> ExifOrientation? {
        let payload = segment.clamped(to: 0..<b.count)
        guard payload.count > 6, b[payload.prefix(6)].elementsEqual(Array("Exif\0\0".utf8)) else { return nil }
        return ExifOrientation(tiff: Array(b[payload.dropFirst(6)]))
    }

    private static func bigEndian32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
