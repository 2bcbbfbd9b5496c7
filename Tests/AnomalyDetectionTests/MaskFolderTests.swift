import DataIO
import XCTest
@testable import AnomalyDetection

final class MaskFolderTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("masks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/cls", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ bytes: [UInt8], height: Int, width: Int, to name: String) throws {
        try PNG.write(bytes, width: width, height: height, channels: 1, to: root + "/" + name)
    }

    func testFindsTheMaskBySameNameStemOrMaskSuffix() throws {
        try write([255, 0, 0, 0], height: 2, width: 2, to: "cls/001.png")
        try write([0, 255, 0, 0], height: 2, width: 2, to: "cls/002_mask.png")
        try write([0, 0, 255, 0], height: 2, width: 2, to: "cls/003.png")
        try write([0, 0, 0, 255], height: 2, width: 2, to: "cls/005.png")
        try write([255, 255, 255, 255], height: 2, width: 2, to: "cls/005_mask.png")
        let masks = try MaskFolder(root: root)
        XCTAssertEqual(try masks.mask(for: "cls/001.png", height: 2, width: 2), [true, false, false, false])
        XCTAssertEqual(try masks.mask(for: "cls/002.png", height: 2, width: 2), [false, true, false, false])
        XCTAssertEqual(try masks.mask(for: "cls/003.jpg", height: 2, width: 2), [false, false, true, false])
        XCTAssertEqual(masks.file(for: "cls/005.png"), root + "/cls/005.png", "the same name comes first")
        XCTAssertNil(masks.file(for: "001.png"), "the relative folder is part of the match")
    }

    func testMissingMaskIsDefectFree() throws {
        let mask = try MaskFolder(root: root).mask(for: "good/000.png", height: 3, width: 4)
        XCTAssertEqual(mask, [Bool](repeating: false, count: 12))
    }

    func testResizesByNearestNeighbourAndAnyNonZeroIsDefect() throws {
        // 3×3 → 2×2: output centres (y + ½)·3/2 = 0.75, 2.25 fall in rows (and columns) 0 and 2, so
        // the corners are kept (⌊y·3/2⌋ would take rows 0 and 1); 1/255 counts as defect.
        try write([255, 0, 0, 0, 0, 0, 0, 0, 1], height: 3, width: 3, to: "cls/big.png")
        let masks = try MaskFolder(root: root)
        XCTAssertEqual(try masks.mask(for: "cls/big.png", height: 2, width: 2), [true, false, false, true])
        // 2×2 → 4×4: each pixel becomes a 2×2 block.
        try write([255, 0, 0, 0], height: 2, width: 2, to: "cls/small.png")
        let up = try masks.mask(for: "cls/small.png", height: 4, width: 4)
        XCTAssertEqual(up, (0..<16).map { $0 / 4 < 2 && $0 % 4 < 2 })
        // 1×2 → 1×3: column centres 0.33, 1, 1.67 of 2 → columns 0, 1, 1.
        try write([0, 9], height: 1, width: 2, to: "cls/wide.png")
        XCTAssertEqual(try masks.mask(for: "cls/wide.png", height: 1, width: 3), [false, true, true])
    }

    func testRootMustBeAFolder() throws {
        XCTAssertThrowsError(try MaskFolder(root: root + "/absent")) { error in
            XCTAssertEqual("\(error)", self.root + "/absent: not a folder")
        }
        try write([0], height: 1, width: 1, to: "file.png")
        XCTAssertThrowsError(try MaskFolder(root: root + "/file.png"))
    }

    func testUnreadableMaskNamesTheFile() throws {
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: root + "/cls/006_mask.png"))
        XCTAssertThrowsError(try MaskFolder(root: root).mask(for: "cls/006.png", height: 2, width: 2)) { error in
            XCTAssertTrue("\(error)".contains(self.root + "/cls/006_mask.png"), "\(error)")
        }
    }
}
