import Foundation
import XCTest
@testable import DataIO

/// JPEG decoding against fixtures/jpeg/: JPEGs that libjpeg-turbo's cjpeg made from the PNGs beside them, and
/// the broken ones. Pixel-exact comparisons with Pillow are in JPEGPillowReferenceTests.
final class JPEGTests: XCTestCase {
    private let dir = TestFiles.fixtures + "/jpeg/"

    private func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: dir + name))) }

    private func meanAbsoluteError(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
    }

    /// Expects `body` to throw a DataIOError that `check` accepts and whose description names `file`.
    private func assertError(_ file: String, _ body: () throws -> Void, _ check: (DataIOError) -> Bool,
                             line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            guard let e = error as? DataIOError else { return XCTFail("\(error)", line: line) }
            XCTAssertTrue(check(e), "\(e)", line: line)
            XCTAssertTrue(e.description.hasPrefix(file + ": "), "names the file: \(e)", line: line)
        }
    }

    func testGrayJPEGDecodesCloseToItsSourcePNG() throws {
        let jpeg = try JPEG.read(path: dir + "digit.jpg", channels: 1)
        let png = try PNG.read(path: dir + "digit.png", channels: 1)
        XCTAssertEqual([jpeg.width, jpeg.height, jpeg.channels], [28, 28, 1])
        XCTAssertLessThan(meanAbsoluteError(jpeg.values, png.values), 0.03)
        XCTAssertTrue(jpeg.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Gray becomes colour by copying, as for PNG.
        let colour = try JPEG.read(path: dir + "digit.jpg", channels: 3)
        XCTAssertEqual(colour.values.count, 28 * 28 * 3)
        for p in 0..<(28 * 28) { XCTAssertEqual(colour.values[3 * p..<3 * p + 3].map { $0 }, [Float](repeating: jpeg.values[p], count: 3)) }
    }

    func testColourJPEGsBaselineAndProgressiveDecodeCloseToTheirSourcePNG() throws {
        let png = try PNG.read(path: dir + "colour.png", channels: 3)
        let pngGray = try PNG.read(path: dir + "colour.png", channels: 1)
        for name in ["colour.jpg", "colour-progressive.jpg"] {
            let jpeg = try JPEG.read(path: dir + name, channels: 3)
            XCTAssertEqual([jpeg.width, jpeg.height, jpeg.channels], [32, 24, 3], name)
            XCTAssertLessThan(meanAbsoluteError(jpeg.values, png.values), 0.03, name)
            // Pixel (25, 6) is inside the flat orange block (240, 140, 20): its channels are not mixed up.
            let p = 3 * (6 * 32 + 25)
            XCTAssertEqual(jpeg.values[p], 240 / 255, accuracy: 0.04, name)
            XCTAssertEqual(jpeg.values[p + 1], 140 / 255, accuracy: 0.04, name)
            XCTAssertEqual(jpeg.values[p + 2], 20 / 255, accuracy: 0.04, name)
            // Colour to gray by Rec. 601 luma, as PNG's colour to gray.
            let gray = try JPEG.read(path: dir + name, channels: 1)
            XCTAssertEqual(gray.values.count, 32 * 24)
            XCTAssertLessThan(meanAbsoluteError(gray.values, pngGray.values), 0.03, name)
        }
    }

    func testDecoderIsChosenByTheFirstBytesNotTheName() throws {
        let root = try TestFiles.temporaryFolder()
        try FileManager.default.copyItem(atPath: dir + "digit.jpg", toPath: root + "/really-a-jpeg.png")
        try FileManager.default.copyItem(atPath: dir + "digit.png", toPath: root + "/really-a-png.jpg")
        let fromJPEG = try ImageDecoder.read(path: root + "/really-a-jpeg.png", channels: 1)
        let fromPNG = try ImageDecoder.read(path: root + "/really-a-png.jpg", channels: 1)
        XCTAssertEqual(fromJPEG.values, try JPEG.read(path: dir + "digit.jpg", channels: 1).values)
        XCTAssertEqual(fromPNG.values, try PNG.read(path: dir + "digit.png", channels: 1).values)
        var loaded = [Float](repeating: -1, count: 784)
        try ImageLoadOptions().load(path: root + "/really-a-jpeg.png", into: &loaded)
        XCTAssertEqual(loaded, fromJPEG.values)
    }

    func testTruncatedJPEGIsAnErrorNamingTheFile() throws {
        let root = try TestFiles.temporaryFolder()
        let full = try bytes("colour.jpg")
        let path = root + "/truncated.jpg"
        try TestFiles.write(Array(full.prefix(full.count / 2)), to: path)
        assertError(path, { _ = try ImageDecoder.read(path: path, channels: 3) }) { e in
            if case let .jpegDecode(_, message) = e { return message.contains("Premature end") }
            return false
        }
        var slot = [Float](repeating: 0, count: 32 * 24 * 3)
        assertError(path, { try ImageLoadOptions(height: 24, width: 32, channels: 3).load(path: path, into: &slot) }) { e in
            if case .jpegDecode = e { return true }
            return false
        }
        // Cut anywhere before the end-of-image marker, baseline or progressive: an error, never a crash or a
        // picture filled out with gray.
        for name in ["colour.jpg", "colour-progressive.jpg", "digit.jpg"] {
            let whole = try bytes(name)
            for cut in stride(from: 1, to: whole.count - 2, by: 5) {
                XCTAssertThrowsError(try Array(whole.prefix(cut)).withUnsafeBytes {
                    _ = try ImageDecoder.decode($0, file: name, channels: 3)
                }, "\(name) cut at \(cut)")
            }
        }
    }

    func testGarbageNamedJPGIsAnErrorNamingTheFile() throws {
        let root = try TestFiles.temporaryFolder()
        let text = root + "/garbage.jpg"
        try TestFiles.write(Array("This is a text file that only pretends to be a JPEG image.\n".utf8), to: text)
        assertError(text, { _ = try ImageDecoder.read(path: text, channels: 1) }) { e in
            guard case .notAnImage = e else { return false }
            return e.description.contains("not a PNG or JPEG file (it starts with 54 68 69 73")
        }
        assertError(text, { _ = try JPEG.read(path: text, channels: 1) }) { e in
            if case .jpegNotJPEG = e { return true }
            return false
        }
        // The JPEG start marker, then noise: libjpeg's error, caught.
        var rng = SeededGenerator(seed: 1)
        let noisy = root + "/noise.jpg"
        try TestFiles.write([0xFF, 0xD8, 0xFF] + (0..<500).map { _ in UInt8.random(in: 0...255, using: &rng) }, to: noisy)
        assertError(noisy, { _ = try ImageDecoder.read(path: noisy, channels: 1) }) { e in
            if case let .jpegDecode(_, message) = e { return !message.isEmpty }
            return false
        }
        let empty = root + "/empty.jpg"
        try TestFiles.write([], to: empty)
        assertError(empty, { _ = try ImageDecoder.read(path: empty, channels: 1) }) { e in
            if case .emptyFile = e { return true }
            return false
        }
    }

    func testCorruptedEntropyDataNeverCrashes() throws {
        // Bytes after the headers overwritten at random: an error or some picture, never a crash.
        let whole = try bytes("colour-progressive.jpg")
        var generator = SeededGenerator(seed: 7)
        var errors = 0
        for _ in 0..<200 {
            var copy = whole
            for _ in 0..<4 {
                copy[Int.random(in: (whole.count / 3)..<(whole.count - 2), using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do { _ = try copy.withUnsafeBytes { try ImageDecoder.decode($0, file: "c.jpg", channels: 3) } } catch { errors += 1 }
        }
        XCTAssertGreaterThan(errors, 0, "some corruptions are caught as errors")
    }

    func testHugeDimensionsAreRefusedBeforeAllocating() throws {
        // digit.jpg with its baseline frame header (SOF0: FF C0, length, precision, height, width) claiming 60000 × 50000.
        var jpeg = try bytes("digit.jpg")
        let sof = try XCTUnwrap((0..<(jpeg.count - 1)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        jpeg.replaceSubrange((sof + 5)..<(sof + 9), with: [0xEA, 0x60, 0xC3, 0x50])
        let start = Date()
        assertError("huge.jpg", { _ = try jpeg.withUnsafeBytes { try JPEG.decode($0, file: "huge.jpg", channels: 1) } }) { e in
            if case .jpegTooLarge(_, 50000, 60000, PNG.defaultPixelLimit) = e { return true }
            return false
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.05, "the refusal must be cheap")
        // The limit is the caller's.
        let digit = try bytes("digit.jpg")
        assertError("d.jpg", { _ = try digit.withUnsafeBytes { try ImageDecoder.decode($0, file: "d.jpg", channels: 1, pixelLimit: 783) } }) { e in
            if case .jpegTooLarge(_, 28, 28, 783) = e { return true }
            return false
        }
        XCTAssertEqual(try digit.withUnsafeBytes { try ImageDecoder.decode($0, file: "d.jpg", channels: 1, pixelLimit: 784) }.width, 28)
    }

    /// The folder survey walks markers itself: an APP1 marker whose length field is 0, 1 or past the end
    /// must not trap (a length under 2 once made an inverted range; the JPEG fuzz target finds it in seconds).
    func testHeaderSurveySurvivesBadAPP1Lengths() throws {
        let digit = try bytes("digit.jpg")
        for length: [UInt8] in [[0, 0], [0, 1], [0, 2], [0xFF, 0xFF]] {
            let crafted = Array(digit.prefix(2)) + [0xFF, 0xE1] + length + Array("Exif\0\0II".utf8) + Array(digit.dropFirst(2))
            _ = ImageHeader.parse(crafted)
        }
        let rotated = try XCTUnwrap(ImageHeader.read(path: dir + "exif-6.jpg"))
        XCTAssertEqual([rotated.width, rotated.height], [24, 32], "orientation 6 turns 32×24 upright")
    }

    func testTwelveBitJPEGIsRefusedClearly() throws {
        let path = dir + "broken/12-bit.jpg"
        assertError(path, { _ = try ImageDecoder.read(path: path, channels: 1) }) { e in
            guard case let .jpegUnsupported(_, message) = e else { return false }
            return message == "12-bit samples (data precision 12); only 8-bit JPEGs are supported"
        }
    }

    /// fixtures/jpeg/broken/: each file's own error, naming it (the folder-level rows are in aedetectTests).
    func testEveryBrokenFixtureFailsWithItsReason() throws {
        let expected = [
            "12-bit.jpg": "only 8-bit JPEGs are supported",
            "bad-huffman-table.jpg": "Bogus Huffman table definition",
            "empty.jpg": "the file is empty",
            "huge-dimensions.jpg": "more than the limit",
            "no-frame.jpg": "JPEG datastream contains no image",
            "text.jpg": "not a PNG or JPEG file",
            "truncated-progressive.jpg": "Premature end of JPEG file",
            "truncated.jpg": "Premature end of JPEG file",
        ]
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "broken").sorted()
        XCTAssertEqual(names, expected.keys.sorted())
        for (name, reason) in expected {
            let path = dir + "broken/" + name
            assertError(path, { _ = try ImageDecoder.read(path: path, channels: 3) }) { $0.description.contains(reason) }
        }
    }
}

/// SplitMix64, for reproducible corruption.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
