import Foundation
import XCTest
@testable import DataIO

/// Every good JPEG under fixtures/jpeg/ against Pillow's decode of it (after ImageOps.exif_transpose), saved
/// once by scripts/make_jpeg_fixtures.py in fixtures/jpeg/reference/: baseline, progressive, gray, YCbCr,
/// CMYK with and without the Adobe marker, YCCK, and the seven EXIF orientations other than 1.
final class JPEGPillowReferenceTests: XCTestCase {
    private let dir = TestFiles.fixtures + "/jpeg/"

    private var referenceStems: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir + "reference")) ?? []
        return names.map { ($0 as NSString).deletingPathExtension }.sorted()
    }

    private func reference(_ stem: String) throws -> PNMFile {
        let ppm = dir + "reference/\(stem).ppm"
        return try PNMFile(path: FileManager.default.fileExists(atPath: ppm) ? ppm : dir + "reference/\(stem).pgm")
    }

    /// The largest difference in 8-bit levels between a decode and a reference of the same layout.
    private func maxLevelDifference(_ values: [Float], _ samples: [UInt8]) -> Int {
        zip(values, samples).map { abs(Int(($0 * 255).rounded()) - Int($1)) }.max() ?? .max
    }

    func testEveryKindOfFixtureHasAReference() {
        let stems = Set(referenceStems)
        let expected = ["digit", "colour", "colour-progressive", "cmyk", "cmyk-ink", "cmyk-no-adobe", "ycck"]
            + (2...8).map { "exif-\($0)" }
        XCTAssertTrue(stems.isSuperset(of: expected), "missing: \(Set(expected).subtracting(stems).sorted())")
    }

    func testPixelsEqualPillowsDecode() throws {
        for stem in referenceStems {
            let expected = try reference(stem)
            let image = try JPEG.read(path: dir + stem + ".jpg", channels: expected.channels)
            XCTAssertEqual([image.width, image.height], [expected.width, expected.height], stem)
            guard image.values.count == expected.samples.count else { continue }
            XCTAssertEqual(maxLevelDifference(image.values, expected.samples), 0, stem)
        }
    }

    /// One channel from a colour JPEG is the PNG path's luma of its RGB decode, so a model sees a JPEG and a
    /// PNG of the same pixels alike.
    func testOneChannelIsTheLumaOfTheRGBDecodeAsForPNG() throws {
        for stem in referenceStems {
            let expected = try reference(stem)
            guard expected.channels == 3 else { continue }
            let gray = try JPEG.read(path: dir + stem + ".jpg", channels: 1)
            let luma = PixelConversion.toUnitFloats(expected.samples, pixels: expected.width * expected.height,
                                                    readChannels: 3, hasAlpha: false, channels: 1)
            XCTAssertEqual(gray.values, luma, stem)
        }
    }

    func testHeaderSizeIsTheUprightPictures() throws {
        for stem in referenceStems {
            let expected = try reference(stem)
            let header = try XCTUnwrap(ImageHeader.read(path: dir + stem + ".jpg"), stem)
            XCTAssertEqual([header.width, header.height], [expected.width, expected.height], stem)
            XCTAssertEqual(header.isColour, expected.channels == 3, stem)
        }
    }
}
