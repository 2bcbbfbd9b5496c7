import Foundation
import DataIO
import XCTest
@testable import AnomalyDetection

final class InputSetTests: XCTestCase {
    func testWalkOrderComparesComponents() {
        XCTAssertTrue(InputSet.walkOrder("a/b.png", "a.png"))   // the folder "a" sorts before "a.png"
        XCTAssertTrue(InputSet.walkOrder("a/b/c.png", "a/c.png"))
        XCTAssertFalse(InputSet.walkOrder("b.png", "a/z.png"))
    }

    func testMergingTheWalksTwoListsEqualsSortingThem() {
        let files = ["r/a.png", "r/b/c.png", "r/b/d.png", "r/e.png", "r/z/y.png"]
        let skipped = ["r/a.txt", "r/b/loop", "r/b0", "r/f.gif", "r/zz"]
        func items(_ paths: [String]) -> [(path: String, item: String)] { paths.map { ($0, $0) } }
        func paths(_ items: [String]) -> [String] { items }
        let merged = paths(InputSet.merged(items(files), items(skipped)))
        XCTAssertEqual(merged, (files + skipped).sorted(by: InputSet.walkOrder))
        XCTAssertEqual(merged.count, 10)
        XCTAssertEqual(paths(InputSet.merged(items(files), [])), files)
        XCTAssertEqual(paths(InputSet.merged([], items(skipped))), skipped)
    }

    func testFolderItemsKeepLabelsAndUnusableFiles() throws {
        let set = try InputSet(paths: [Fixtures.digits, Fixtures.broken], labelsFromSubfolders: true)
        XCTAssertEqual(set.count, 198)
        let labels = Dictionary(grouping: set.items.compactMap { set.label(of: $0) }, by: { $0 }).mapValues(\.count)
        XCTAssertEqual(labels["3"], 80)
        XCTAssertEqual(labels["anomalies"], 18)
        XCTAssertEqual(labels["7"], 10)
        let unusable = set.items.filter { if case .unusable = $0 { return true } else { return false } }
        XCTAssertEqual(unusable.count, 5, "the five non-image files of broken/ are reported, not dropped")
        let paths = set.items.map { set.path(of: $0) }
        XCTAssertEqual(paths.filter { $0.hasPrefix(Fixtures.digits) }.count, 188)
        XCTAssertEqual(Array(paths.prefix(188)), paths.prefix(188).sorted(by: InputSet.walkOrder))
    }

    func testIDXItemsAreIndexedAndLabelled() throws {
        let set = try InputSet(paths: [Fixtures.trainImages], labelsFile: Fixtures.trainLabels)
        XCTAssertEqual(set.count, 2500)
        XCTAssertEqual(set.path(of: set.items[7]), Fixtures.trainImages + "#7")
        XCTAssertEqual(set.label(of: set.items[0]), "0")
        XCTAssertEqual(set.label(of: set.items[2499]), "9")
        let batch = set.load(10..<20, options: ImageLoadOptions())
        XCTAssertEqual(batch.loaded, Array(10..<20))
        XCTAssertEqual(batch.images.count, 10 * 784)
    }

    func testSingleImageFilesOfEitherFormatAreImageItems() throws {
        let png = Fixtures.root + "/jpeg/digit.png", jpeg = Fixtures.root + "/jpeg/digit.jpg"
        let copy = NSTemporaryDirectory() + "inputset-\(getpid())-DIGIT.JPEG"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: jpeg, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let set = try InputSet(paths: [png, jpeg, copy])
        XCTAssertEqual(set.count, 3)
        for item in set.items { guard case .image = item else { return XCTFail("\(item)") } }
        XCTAssertEqual(set.items.map { set.path(of: $0) }, [png, jpeg, copy])
        let batch = set.load(0..<3, options: ImageLoadOptions())
        XCTAssertEqual(batch.loaded, [0, 1, 2])
        XCTAssertTrue(batch.failed.isEmpty)
        XCTAssertEqual(batch.images[784..<1568], batch.images[1568...])
    }

    func testMissingInputIsAnError() {
        XCTAssertThrowsError(try InputSet(paths: ["/no/such/folder"])) { e in
            XCTAssertTrue("\(e)".contains("/no/such/folder: no such file or folder"))
        }
    }

    func testRunsOfIndices() {
        XCTAssertEqual(NormalSamples.runs(of: [1, 2, 3, 7, 8, 10]), [1..<4, 7..<9, 10..<11])
        XCTAssertEqual(NormalSamples.runs(of: []), [])
    }
}
