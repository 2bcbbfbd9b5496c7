import XCTest
@testable import AtomicFiles

final class AtomicFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomicfile-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testCreatesParentFoldersAndWrites() throws {
        let url = folder.appendingPathComponent("run/nested/scores.csv")
        try AtomicFile.write("a,b\n", to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "a,b\n")
        XCTAssertEqual(try contents(of: url.deletingLastPathComponent()), ["scores.csv"], "a temporary file was left")
    }

    func testRefusesToOverwriteWithoutForce() throws {
        let url = folder.appendingPathComponent("model.safetensors")
        try AtomicFile.write(Data([1, 2, 3]), to: url)
        XCTAssertThrowsError(try AtomicFile.write(Data([9]), to: url)) { error in
            let e = error as? AtomicFileError
            XCTAssertEqual(e?.isExistingFile, true)
            XCTAssertTrue("\(error)".contains(url.path), "\(error) does not name the path")
        }
        XCTAssertEqual(try Data(contentsOf: url), Data([1, 2, 3]))
        XCTAssertEqual(try contents(of: folder), ["model.safetensors"])
    }

    func testForceOverwrites() throws {
        let url = folder.appendingPathComponent("report.html")
        try AtomicFile.write("old", to: url)
        try AtomicFile.write("new", to: url, force: true)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "new")
        XCTAssertEqual(try contents(of: folder), ["report.html"])
    }

    func testRefusesAFolderEvenWithForce() throws {
        let url = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write("x", to: url, force: true)) {
            XCTAssertTrue("\($0)".contains("is a folder"), "\($0)")
        }
    }

    func testWritesEmptyAndLargeData() throws {
        let empty = folder.appendingPathComponent("empty")
        try AtomicFile.write(Data(), to: empty)
        XCTAssertEqual(try Data(contentsOf: empty).count, 0)
        let big = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let url = folder.appendingPathComponent("big.bin")
        try AtomicFile.write(big, to: url)
        XCTAssertEqual(try Data(contentsOf: url), big)
    }

    private func contents(of url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}
