import DataIO
import Foundation
import XCTest
@testable import AnomalyDetection

final class InputGeometryTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("geometry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func png(_ name: String, _ h: Int, _ w: Int, _ c: Int) throws {
        try PNG.write(unitFloats: [Float](repeating: 0.5, count: h * w * c), width: w, height: h, channels: c,
                      to: dir.appendingPathComponent(name).path)
    }

    /// The most common size wins; colour when most images of that size are colour.
    func testMostCommonSizeAndColourMajority() throws {
        try png("a.png", 40, 30, 3); try png("b.png", 40, 30, 3); try png("c.png", 40, 30, 1)
        try png("d.png", 64, 64, 1); try png("e.png", 64, 64, 1)
        try Data("not an image".utf8).write(to: dir.appendingPathComponent("f.png"))
        let inputs = try InputSet(paths: [dir.path])
        let g = try XCTUnwrap(InputGeometry.survey(inputs, positions: Array(0..<inputs.count)))
        XCTAssertEqual([g.height, g.width, g.channels], [40, 30, 3])
        XCTAssertEqual([g.matching, g.otherSize, g.unreadable], [3, 2, 1])
    }

    func testGrayFolderStaysGray() throws {
        for i in 0..<3 { try png("\(i).png", 20, 24, 1) }
        let inputs = try InputSet(paths: [dir.path])
        let g = try XCTUnwrap(InputGeometry.survey(inputs, positions: Array(0..<inputs.count)))
        XCTAssertEqual([g.height, g.width, g.channels], [20, 24, 1])
    }

    /// Headers of the committed fixtures: a gray MNIST digit PNG and the JPEG fixtures.
    func testHeadersOfPNGAndJPEGFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let digit = try XCTUnwrap(ImageHeader.read(path: root.appendingPathComponent("fixtures/digits/0/05006.png").path))
        XCTAssertEqual(digit, ImageHeader(width: 28, height: 28, isColour: false))
        let jpegs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("fixtures/jpeg").path).filter { $0.hasSuffix(".jpg") }
        XCTAssertFalse(jpegs.isEmpty)
        for name in jpegs where name != "cmyk.jpg" {
            let path = root.appendingPathComponent("fixtures/jpeg/\(name)").path
            guard let header = ImageHeader.read(path: path) else { continue }
            let decoded = try ImageDecoder.read(path: path, channels: header.isColour ? 3 : 1)
            XCTAssertEqual([header.width, header.height], [decoded.width, decoded.height], name)
        }
    }
}
