/// Removes the colour-management chunks (gAMA, cHRM, sRGB, iCCP) from a PNG stream, so libpng's
/// simplified API passes samples through as stored instead of gamma-converting them.
/// They are ancillary and each chunk has its own CRC, so dropping whole chunks keeps the stream valid.
enum ColourChunks {
    static let dropped: Set<UInt32> = ["gAMA", "cHRM", "sRGB", "iCCP"].map(fourCC).reduce(into: []) { $0.insert($1) }
    static let idat = fourCC("IDAT")

    /// The stream without those chunks, or nil when it has none (the common case: no copy).
    /// A malformed chunk length stops the scan; libpng then reports the damage itself.
    static func strip(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var ranges: [Range<Int>] = []
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let type = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let end = offset + 12 + length
            if type == idat || end > bytes.count { break }
            if dropped.contains(type) { ranges.append(offset..<end) }
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
}
