import XCTest
@testable import DataIO

/// The Orientation tag read from a TIFF structure, and the pixel transpositions.
final class ExifOrientationTests: XCTestCase {
    /// A TIFF header and one IFD holding `entries` (tag, type, value) in the given byte order.
    private func tiff(bigEndian: Bool, _ entries: [(tag: Int, type: Int, value: Int)]) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8 & 255), UInt8(v & 255)] : [UInt8(v & 255), UInt8(v >> 8 & 255)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? u16(v >> 16) + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16) }
        var b: [UInt8] = (bigEndian ? Array("MM".utf8) : Array("II".utf8)) + u16(42) + u32(8) + u16(entries.count)
        for e in entries { b += u16(e.tag) + u16(e.type) + u32(1) + u16(e.value) + u16(0) }
        return b + u32(0)
    }

    func testReadsTheTagInEitherByteOrderAmongOtherTags() {
        for big in [false, true] {
            for n in 1...8 {
                let bytes = tiff(bigEndian: big, [(0x010F, 2, 0), (0x0112, 3, n), (0x0131, 2, 0)])
                XCTAssertEqual(ExifOrientation(tiff: bytes)?.rawValue, n, "big endian \(big)")
            }
        }
    }

    func testDamagedOrAbsentTagsGiveNoOrientation() {
        XCTAssertNil(ExifOrientation(tiff: tiff(bigEndian: false, [(0x010F, 2, 0)])), "no tag")
        XCTAssertNil(ExifOrientation(tiff: tiff(bigEndian: false, [(0x0112, 3, 9)])), "out of range")
        XCTAssertNil(ExifOrientation(tiff: tiff(bigEndian: false, [(0x0112, 4, 6)])), "not a SHORT")
        XCTAssertNil(ExifOrientation(tiff: Array("XX*\0".utf8) + [8, 0, 0, 0]), "not a TIFF header")
        var truncated = tiff(bigEndian: true, [(0x0112, 3, 6)])
        truncated.removeLast(8)
        XCTAssertNil(ExifOrientation(tiff: truncated), "IFD cut short")
        var farIFD = tiff(bigEndian: true, [(0x0112, 3, 6)])
        farIFD[4...7] = [0x7F, 0xFF, 0xFF, 0xFF]
        XCTAssertNil(ExifOrientation(tiff: farIFD), "IFD offset past the end")
    }

    /// A 3×2 image whose pixel values are their stored positions (index y·3 + x), turned by each orientation.
    func testTranspositionsMatchTheirDefinitions() {
        let image = ImagePixels(width: 3, height: 2, channels: 1, values: (0..<6).map(Float.init))
        // Upright rows for each orientation, written out by hand from the EXIF specification's drawings.
        let expected: [ExifOrientation: (w: Int, rows: [[Float]])] = [
            .normal: (3, [[0, 1, 2], [3, 4, 5]]),
            .mirrored: (3, [[2, 1, 0], [5, 4, 3]]),
            .rotated180: (3, [[5, 4, 3], [2, 1, 0]]),
            .flipped: (3, [[3, 4, 5], [0, 1, 2]]),
            .transposed: (2, [[0, 3], [1, 4], [2, 5]]),
            .rotatedClockwise: (2, [[3, 0], [4, 1], [5, 2]]),
            .transverse: (2, [[5, 2], [4, 1], [3, 0]]),
            .rotatedCounterclockwise: (2, [[2, 5], [1, 4], [0, 3]]),
        ]
        for (orientation, want) in expected {
            let turned = orientation.apply(to: image)
            XCTAssertEqual(turned.width, want.w, "\(orientation)")
            XCTAssertEqual(turned.height, want.rows.count, "\(orientation)")
            XCTAssertEqual(turned.values, want.rows.flatMap { $0 }, "\(orientation)")
        }
    }

    func testColourChannelsMoveTogether() {
        let image = ImagePixels(width: 2, height: 1, channels: 3, values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(ExifOrientation.mirrored.apply(to: image).values, [4, 5, 6, 1, 2, 3])
        XCTAssertEqual(ExifOrientation.rotatedClockwise.apply(to: image).values, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(ExifOrientation.rotatedClockwise.apply(to: image).height, 2)
    }
}
