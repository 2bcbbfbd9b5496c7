import CZlibSystem
import Foundation

/// Builds PNG streams by hand (zlib for IDAT, CRC-32 per chunk), independently of DataIO's encoder.
enum PNGBuilder {
    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let crc = (typeBytes + body).withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        return bigEndian(UInt32(body.count)) + typeBytes + body + bigEndian(crc)
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

    /// A non-interlaced PNG from rows of raw sample bytes (filter type 0 is added per row).
    static func make(width: Int, height: Int, bitDepth: UInt8, colourType: UInt8, rows: [[UInt8]],
                     extra: [[UInt8]] = []) -> [UInt8] {
        var raw: [UInt8] = []
        for row in rows { raw += [0] + row }
        var size = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(size))
        let status = raw.withUnsafeBufferPointer { source in
            compressed.withUnsafeMutableBufferPointer { compress($0.baseAddress, &size, source.baseAddress, uLong(source.count)) }
        }
        precondition(status == Z_OK)
        let ihdr = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colourType, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + extra.flatMap { $0 }
            + chunk("IDAT", Array(compressed.prefix(Int(size)))) + chunk("IEND", [])
    }
}

/// A minimal 8-bit grayscale PNG decoder (zlib + unfiltering + Adam7) used as an independent reference.
enum ReferenceGray8Decoder {
    struct Header { let width: Int; let height: Int; let bitDepth: Int; let colourType: Int; let interlaced: Bool }

    static func header(_ png: [UInt8]) -> Header {
        func u32(_ o: Int) -> Int { Int(png[o]) << 24 | Int(png[o + 1]) << 16 | Int(png[o + 2]) << 8 | Int(png[o + 3]) }
        return Header(width: u32(16), height: u32(20), bitDepth: Int(png[24]), colourType: Int(png[25]), interlaced: png[28] == 1)
    }

    static func decode(_ png: [UInt8]) -> [UInt8] {
        let h = header(png)
        precondition(h.bitDepth == 8 && h.colourType == 0)
        var idat: [UInt8] = [], o = 8
        while o + 8 <= png.count {
            let length = Int(png[o]) << 24 | Int(png[o + 1]) << 16 | Int(png[o + 2]) << 8 | Int(png[o + 3])
            if String(decoding: png[(o + 4)..<(o + 8)], as: UTF8.self) == "IDAT" { idat += png[(o + 8)..<(o + 8 + length)] }
            o += 12 + length
        }
        var size = uLong(h.width * h.height * 2 + h.height * 8 + 64)
        var raw = [UInt8](repeating: 0, count: Int(size))
        precondition(uncompress(&raw, &size, idat, uLong(idat.count)) == Z_OK)
        var pixels = [UInt8](repeating: 0, count: h.width * h.height)
        var offset = 0
        // Adam7 passes: (x0, y0, dx, dy); a non-interlaced image is one pass (0, 0, 1, 1).
        let passes = h.interlaced ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
                                  : [(0, 0, 1, 1)]
        for (x0, y0, dx, dy) in passes {
            let w = (h.width - x0 + dx - 1) / dx, rows = (h.height - y0 + dy - 1) / dy
            guard w > 0 && rows > 0 else { continue }
            var previous = [UInt8](repeating: 0, count: w)
            for r in 0..<rows {
                let filter = raw[offset]
                var line = Array(raw[(offset + 1)..<(offset + 1 + w)])
                offset += 1 + w
                unfilter(&line, previous: previous, filter: filter)
                for i in 0..<w { pixels[(y0 + r * dy) * h.width + x0 + i * dx] = line[i] }
                previous = line
            }
        }
        return pixels
    }

    private static func unfilter(_ line: inout [UInt8], previous: [UInt8], filter: UInt8) {
        for i in 0..<line.count {
            let a = i > 0 ? Int(line[i - 1]) : 0, b = Int(previous[i]), c = i > 0 ? Int(previous[i - 1]) : 0
            let predictor: Int
            switch filter {
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = (a + b) / 2
            case 4:
                let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            default: predictor = 0
            }
            line[i] = UInt8((Int(line[i]) + predictor) & 255)
        }
    }
}
