import Foundation
import XCTest
@testable import DataIO

final class ImageFolderTests: XCTestCase {
    private func writePNG(_ path: String, value: UInt8, size: Int = 2) throws {
        try PNG.write([UInt8](repeating: value, count: size * size), width: size, height: size, channels: 1, to: path)
    }

    private func relative(_ paths: [String], _ root: String) -> [String] { paths.map { String($0.dropFirst(root.count + 1)) } }

    func testSortedRecursiveWalkSkipsHiddenFollowsLinksWithoutLooping() throws {
        let root = try TestFiles.temporaryFolder()
        let fm = FileManager.default
        for folder in ["b", "a/deep", ".hidden"] { try fm.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true) }
        for name in ["z.png", "B.PNG", "a/x.Png", "a/deep/y.png", "b/w.png", ".dot.png", ".hidden/h.png"] {
            try writePNG(root + "/" + name, value: 1)
        }
        try Data("notes".utf8).write(to: URL(fileURLWithPath: root + "/notes.txt"))
        try fm.createSymbolicLink(atPath: root + "/a/deep/loop", withDestinationPath: root + "/a")
        try fm.createSymbolicLink(atPath: root + "/c", withDestinationPath: root + "/b")
        try fm.createSymbolicLink(atPath: root + "/dangling.png", withDestinationPath: root + "/missing.png")

        let folder = try ImageFolder(root: root)
        XCTAssertEqual(relative(folder.files.map(\.path), root), ["B.PNG", "a/deep/y.png", "a/x.Png", "b/w.png", "z.png"])
        let skipped = Dictionary(uniqueKeysWithValues: folder.skipped.map { (String($0.path.dropFirst(root.count + 1)), $0.reason) })
        XCTAssertEqual(Set(skipped.keys), ["a/deep/loop", "c", "dangling.png", "notes.txt"])
        XCTAssertTrue(skipped["a/deep/loop"]!.contains("already visited"))
        XCTAssertEqual(skipped["notes.txt"], "not a PNG or JPEG file")
    }

    func testFolderOfPNGAndJPEGFilesYieldsBoth() throws {
        let root = try TestFiles.temporaryFolder()
        let fm = FileManager.default
        let jpegs = TestFiles.fixtures + "/jpeg/"
        try fm.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        try fm.copyItem(atPath: jpegs + "digit.png", toPath: root + "/a.png")
        try fm.copyItem(atPath: jpegs + "digit.jpg", toPath: root + "/b.JPG")
        try fm.copyItem(atPath: jpegs + "digit.jpg", toPath: root + "/sub/c.jpeg")
        try fm.copyItem(atPath: jpegs + "digit.jpg", toPath: root + "/d.Jpeg")
        try fm.copyItem(atPath: jpegs + "digit.jpg", toPath: root + "/e.jfif")
        try Data("gif".utf8).write(to: URL(fileURLWithPath: root + "/f.gif"))

        let folder = try ImageFolder(root: root)
        XCTAssertEqual(relative(folder.files.map(\.path), root), ["a.png", "b.JPG", "d.Jpeg", "sub/c.jpeg"])
        XCTAssertEqual(folder.skipped.map { String($0.path.dropFirst(root.count + 1)) }, ["e.jfif", "f.gif"])
        XCTAssertEqual(Set(folder.skipped.map(\.reason)), ["not a PNG or JPEG file"])

        let (data, paths, errors) = Dataset.loadFolder(folder, options: ImageLoadOptions(), batchSize: 3)
        XCTAssertEqual(errors.map(\.path), folder.skipped.map(\.path), "only the two files the walk skipped")
        XCTAssertEqual(paths, folder.files.map(\.path))
        XCTAssertEqual(data.count, 4)
        let png = Array(data.image(0)), jpeg = Array(data.image(1))
        XCTAssertEqual(png, try PNG.read(path: jpegs + "digit.png", channels: 1).values)
        XCTAssertEqual(jpeg, try JPEG.read(path: jpegs + "digit.jpg", channels: 1).values)
        XCTAssertLessThan(zip(png, jpeg).map { abs($0 - $1) }.reduce(0, +) / 784, 0.03)
    }

    func testLabelsFromSubfolders() throws {
        let root = try TestFiles.temporaryFolder()
        for folder in ["7", "10", "3"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder + "/inner", withIntermediateDirectories: true)
            try writePNG(root + "/\(folder)/inner/i.png", value: 1)
        }
        let numeric = try ImageFolder(root: root, labelsFromSubfolders: true)
        XCTAssertEqual(numeric.files.map(\.label), [10, 3, 7], "numeric folder names are the labels; order is by name")
        try FileManager.default.createDirectory(atPath: root + "/cat", withIntermediateDirectories: true)
        try writePNG(root + "/cat/c.png", value: 1)
        let named = try ImageFolder(root: root, labelsFromSubfolders: true)
        XCTAssertEqual(named.labelNames, ["10", "3", "7", "cat"])
        XCTAssertEqual(named.files.map(\.label), [0, 1, 2, 3])
        XCTAssertEqual(try ImageFolder(root: root).files.map(\.label), [nil, nil, nil, nil])
    }

    func testMixedGoodAndBrokenFolderYieldsAllGoodPlusOneRecordPerBadFile() throws {
        let root = try TestFiles.temporaryFolder()
        let digits = try ImageFolder(root: TestFiles.fixtures + "/digits/3").files.prefix(20)
        for (i, file) in digits.enumerated() { try FileManager.default.copyItem(atPath: file.path, toPath: root + "/good\(i).png") }
        let broken = try FileManager.default.contentsOfDirectory(atPath: TestFiles.fixtures + "/broken")
        XCTAssertEqual(broken.count, 10)
        for name in broken { try FileManager.default.copyItem(atPath: TestFiles.fixtures + "/broken/" + name, toPath: root + "/" + name) }

        let (data, paths, errors) = Dataset.loadFolder(try ImageFolder(root: root), options: ImageLoadOptions(), batchSize: 7)
        XCTAssertEqual(data.count, 20)
        XCTAssertEqual(Set(paths.map { ($0 as NSString).lastPathComponent }), Set((0..<20).map { "good\($0).png" }))
        XCTAssertEqual(errors.map { ($0.path as NSString).lastPathComponent }.sorted(), broken.sorted(), "one record per bad file")
        let pngReasons = errors.filter { $0.path.hasSuffix(".png") }.map(\.reason)
        XCTAssertEqual(Set(pngReasons).count, 5, "each bad PNG says what is wrong with it: \(pngReasons)")
        XCTAssertEqual(errors.filter { !$0.path.hasSuffix(".png") }.map(\.reason), [String](repeating: "not a PNG or JPEG file", count: 5))
    }

    func testStreamKeepsOrderAcrossBatchesAndMatchesSerialDecoding() throws {
        let folder = try ImageFolder(root: TestFiles.fixtures + "/digits", labelsFromSubfolders: true)
        var streamed: [Float] = [], paths: [String] = []
        for batch in ImageBatchStream(folder: folder, options: ImageLoadOptions(), batchSize: 64) {
            XCTAssertLessThanOrEqual(batch.count, 64)
            XCTAssertTrue(batch.errors.isEmpty)
            streamed += batch.images
            paths += batch.paths
        }
        XCTAssertEqual(paths, folder.files.map(\.path))
        var serial = [Float](repeating: 0, count: 784)
        for i in [0, 57, paths.count - 1] {
            try ImageLoadOptions().load(path: paths[i], into: &serial)
            XCTAssertEqual(Array(streamed[(i * 784)..<((i + 1) * 784)]), serial)
        }
    }

    func testSizeMismatchIsAnErrorUnlessResizedAndInvertFlipsValues() throws {
        let root = try TestFiles.temporaryFolder()
        try PNG.write([0, 255, 255, 0], width: 2, height: 2, channels: 1, to: root + "/small.png")
        let file = [ImageFile(path: root + "/small.png", label: nil)]
        let strict = ImageBatchStream(files: file, options: ImageLoadOptions(height: 4, width: 4)).next()!
        XCTAssertEqual(strict.count, 0)
        XCTAssertTrue(strict.errors[0].reason.contains("2×2"), strict.errors[0].reason)
        let resized = ImageBatchStream(files: file, options: ImageLoadOptions(height: 1, width: 1, resize: true, invert: true)).next()!
        XCTAssertEqual(resized.images, [0.5], "area average of 0, 1, 1, 0 is 0.5; inverted 0.5")
        let inverted = ImageBatchStream(files: file, options: ImageLoadOptions(height: 2, width: 2, invert: true)).next()!
        XCTAssertEqual(inverted.images, [1, 0, 0, 1])
    }
}
