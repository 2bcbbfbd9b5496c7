import Foundation
import XCTest
@testable import DataIO

final class PNGTests: XCTestCase {
    private func decode(_ bytes: [UInt8], channels: Int = 1) throws -> ImagePixels {
        try bytes.withUnsafeBytes { try PNG.decode($0, file: "t.png", channels: channels) }
    }

    func testGrayAndRGBRoundTripExactly() throws {
        let gray: [UInt8] = (0..<12).map { UInt8($0 * 23) }
        let back = try decode(PNG.encode(gray, width: 4, height: 3, channels: 1).array)
        XCTAssertEqual([back.width, back.height, back.channels], [4, 3, 1])
        XCTAssertEqual(PixelConversion.toBytes(back.values), gray)
        let rgb: [UInt8] = (0..<18).map { UInt8(255 - $0 * 13) }
        let colour = try decode(PNG.encode(rgb, width: 3, height: 2, channels: 3).array, channels: 3)
        XCTAssertEqual(PixelConversion.toBytes(colour.values), rgb)
    }

    func testIncompressibleImagesFitTheOnePassBuffer() throws {
        // Noise does not compress: the encoded stream is larger than the pixels, and must still fit
        // libpng's bound (or the retry) whatever the shape.
        var rng = SystemRandomNumberGenerator()
        for (width, height, channels) in [(1, 1, 1), (300, 200, 3), (9000, 3, 1), (5, 4000, 3)] { for fast in [false, true] {
            let noise = (0..<(width * height * channels)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let encoded = try PNG.encode(noise, width: width, height: height, channels: channels, fast: fast)
            XCTAssertLessThanOrEqual(encoded.count, PNG.maximumEncodedSize(width: width, height: height, channels: channels))
            let back = try decode(encoded.array, channels: channels)
            XCTAssertEqual(PixelConversion.toBytes(back.values), noise, "\(width)×\(height)×\(channels) fast \(fast)")
        } }
    }

    func testColourBecomesGrayByRec601Luma() throws {
        let png = PNGBuilder.make(width: 3, height: 1, bitDepth: 8, colourType: 2, rows: [[255, 0, 0, 0, 255, 0, 10, 20, 30]])
        let gray = try decode(png).values
        XCTAssertEqual(gray[0], 0.299, accuracy: 1e-6)
        XCTAssertEqual(gray[1], 0.587, accuracy: 1e-6)
        XCTAssertEqual(gray[2], (0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255, accuracy: 1e-6)
        // Gray to colour copies the value into every channel.
        let rgb = try decode(PNGBuilder.make(width: 1, height: 1, bitDepth: 8, colourType: 0, rows: [[51]]), channels: 3).values
        XCTAssertEqual(rgb, [0.2, 0.2, 0.2])
    }

    func testAlphaIsCompositedOverBlack() throws {
        let rgba = PNGBuilder.make(width: 2, height: 1, bitDepth: 8, colourType: 6, rows: [[255, 255, 255, 0, 200, 100, 50, 255]])
        let out = try decode(rgba, channels: 3).values
        XCTAssertEqual(out, [0, 0, 0, 200.0 / 255, 100.0 / 255, 50.0 / 255].map { Float($0) })
        let grayAlpha = PNGBuilder.make(width: 1, height: 1, bitDepth: 8, colourType: 4, rows: [[255, 51]])
        XCTAssertEqual(try decode(grayAlpha).values[0], 0.2, accuracy: 1e-6)
        // Palette with tRNS: entry 1 is white at alpha 0 → black.
        let palette = PNGBuilder.make(width: 2, height: 1, bitDepth: 8, colourType: 3, rows: [[0, 1]],
                                      extra: [PNGBuilder.chunk("PLTE", [255, 255, 255, 255, 255, 255]), PNGBuilder.chunk("tRNS", [255, 0])])
        XCTAssertEqual(try decode(palette).values, [1, 0])
    }

    func testSixteenBitSamplesAreScaledNotGammaConverted() throws {
        let png = PNGBuilder.make(width: 2, height: 1, bitDepth: 16, colourType: 0, rows: [[0x80, 0x80, 0xFF, 0xFF]],
                                  extra: [PNGBuilder.chunk("gAMA", PNGBuilder.bigEndian(100000))])
        XCTAssertEqual(try decode(png).values, [128.0 / 255, 1].map { Float($0) })
    }

    func testHugeDimensionsAreRefusedBeforeAllocating() throws {
        let path = TestFiles.fixtures + "/broken/huge-dimensions.png"
        let start = Date()
        XCTAssertThrowsError(try PNG.read(path: path, channels: 1)) { error in
            guard case .pngTooLarge(_, 100000, 100000, _)? = error as? DataIOError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("huge-dimensions.png"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.05, "the refusal must be cheap")
    }

    func testBrokenPNGFixturesEachGiveTheirOwnError() {
        let dir = TestFiles.fixtures + "/broken/"
        let expectations: [(String, (DataIOError) -> Bool)] = [
            ("empty.png", { if case .emptyFile = $0 { return true }; return false }),
            ("text.png", { if case .pngNotPNG = $0 { return true }; return false }),
            ("truncated.png", { if case .pngDecode = $0 { return true }; return false }),
            ("bad-crc.png", { if case let .pngDecode(_, m) = $0 { return m.contains("CRC") }; return false }),
            ("huge-dimensions.png", { if case .pngTooLarge = $0 { return true }; return false }),
        ]
        for (name, check) in expectations {
            XCTAssertThrowsError(try PNG.read(path: dir + name, channels: 1), name) { error in
                guard let e = error as? DataIOError else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue(check(e), "\(name): \(e)")
                XCTAssertTrue(e.description.contains(name), "names the file: \(e)")
            }
        }
    }

    func testWriteFloatsClampsAndRounds() throws {
        let path = try TestFiles.temporaryFolder() + "/f.png"
        try PNG.write(unitFloats: [-1, 0.5, 2, 0.2], width: 2, height: 2, channels: 1, to: path)
        XCTAssertEqual(PixelConversion.toBytes(try PNG.read(path: path, channels: 1).values), [0, 128, 255, 51])
    }
}

final class PNGChunkTests: XCTestCase {
    func testAChunkLongerThanTheFileIsRefusedBeforeLibpngAllocatesIt() throws {
        var png = PNGBuilder.make(width: 1, height: 1, bitDepth: 8, colourType: 0, rows: [[9]])
        png.insert(contentsOf: PNGBuilder.bigEndian(1_000_000_000) + Array("zTXt".utf8) + [1, 2, 3], at: 33)
        XCTAssertThrowsError(try png.withUnsafeBytes { try PNG.decode($0, file: "big.png", channels: 1) }) { error in
            guard case let .pngDecode(_, message)? = error as? DataIOError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("'zTXt' claims 1000000000 bytes"), message)
        }
    }
}
