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

    /// Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).
    private static func jpegFrame(_ b: [UInt8]) -> ImageHeader? {
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                let height = Int(b[i + 5]) << 8 | Int(b[i + 6]), width = Int(b[i + 7]) << 8 | Int(b[i + 8])
                return ImageHeader(width: width, height: height, isColour: b[i + 9] >= 3)
            }
            i += 2 + length
        }
        return nil
    }

    private static func bigEndian32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
