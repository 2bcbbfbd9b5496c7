import Foundation
import XCTest
@testable import DataIO

/// Conformance on van Schaik's PngSuite (../shared/data/pngsuite; skipped where absent).
final class PngSuiteTests: XCTestCase {
    private func files(_ sub: String) throws -> [String] {
        let folder = try TestFiles.requireShared("pngsuite/" + sub)
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted().map { folder + "/" + $0 }
    }

    func testEveryValidFileDecodesWithTheRightDimensions() throws {
        let valid = try files("valid")
        XCTAssertEqual(valid.count, 160)
        for path in valid {
            let header = ReferenceGray8Decoder.header(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            for channels in [1, 3] {
                let image = try PNG.read(path: path, channels: channels)
                XCTAssertEqual([image.width, image.height], [header.width, header.height], path)
                XCTAssertEqual(image.values.count, header.width * header.height * channels)
                XCTAssertTrue(image.values.allSatisfy { $0 >= 0 && $0 <= 1 }, path)
            }
            // The sNN files are N×N by the suite's naming code.
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix("s"), let n = Int(name.dropFirst().prefix(2)) {
                XCTAssertEqual([header.width, header.height], [n, n], name)
            }
        }
    }

    func testGrayscale8BitFilesMatchTheirSamplesExactly() throws {
        let gray8 = try files("valid").filter {
            let h = ReferenceGray8Decoder.header(Array(try! Data(contentsOf: URL(fileURLWithPath: $0))))
            return h.bitDepth == 8 && h.colourType == 0
        }
        XCTAssertEqual(gray8.count, 10)  // basi/basn, f00–f04, ps1/ps2, tp0 (some carry gAMA 1.0, which is ignored)
        for path in gray8 {
            let expected = ReferenceGray8Decoder.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            let image = try PNG.read(path: path, channels: 1)
            XCTAssertEqual(image.values, expected.map { Float($0) / 255 }, path)
        }
    }

    func testEveryCorruptFileIsRejected() throws {
        let corrupt = try files("corrupt")
        XCTAssertEqual(corrupt.count, 14)
        for path in corrupt {
            XCTAssertThrowsError(try PNG.read(path: path, channels: 1), path) { error in
                XCTAssertTrue(error is DataIOError, "\(path): \(error)")
            }
        }
    }
}
