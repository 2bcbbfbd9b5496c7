/// A pass over a PNG stream's chunk headers before libpng sees it.
///
/// 1. Every chunk's declared length must fit in the bytes that remain. libpng allocates a chunk's
///    buffer from its declared length before reading it, so without this a 4 KB file claiming a
///    1 GB chunk costs a 1 GB allocation.
/// 2. The colour-management chunks (gAMA, cHRM, sRGB, iCCP) are removed, so libpng's simplified API
///    passes samples through as stored instead of gamma-converting them. They are ancillary and each
///    chunk has its own CRC, so dropping whole chunks keeps the stream valid.
enum PNGChunks {
    static let dropped: Set<UInt32> = Set(["gAMA", "cHRM", "sRGB", "iCCP"].map(fourCC))
    static let iend = fourCC("IEND")

    /// The stream without colour chunks, or nil when it has none (the common case: no copy).
    static func check(_ bytes: UnsafeRawBufferPointer, file: String) throws -> [UInt8]? {
        var ranges: [Range<Int>] = []
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let type = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let end = offset + 12 + length
            if end > bytes.count {
                throw DataIOError.pngDecode(file: file, message: "chunk \(name(type)) claims \(length) bytes but only \(bytes.count - offset - 8) remain (truncated or corrupt)")
            }
            if dropped.contains(type) { ranges.append(offset..<end) }
            if type == iend { break }
            offset = end
        }
        if ranges.isEmpty { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var start = 0
        for r in ranges {
            out.append(contentsOf: bytes[start..<r.lowerBound])
            start = r.upperBound
        }
        out.append(contentsOf: bytes[start...])
        return out
    }

    static func fourCC(_ s: String) -> UInt32 { s.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// A chunk type for messages: its four letters when printable, else hex.
    static func name(_ type: UInt32) -> String {
        let bytes = [24, 16, 8, 0].map { UInt8(type >> $0 & 255) }
        if bytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) {
            return "'" + String(decoding: bytes, as: UTF8.self) + "'"
        }
        return "0x" + bytes.map { String(format2hex: $0) }.joined()
    }
}
