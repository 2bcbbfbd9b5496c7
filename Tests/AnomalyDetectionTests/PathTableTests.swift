import XCTest
@testable import AnomalyDetection

final class PathTableTests: XCTestCase {
    func testEveryPathComesBackAsItWent() {
        let paths = ["a/b/c.png", "a/b/d.png", "top.png", "/abs/x.png", "a/b/", "/", "a/é ü/ñ.png", "a/b/c.png", ""]
        var table = PathTable()
        let indices = paths.map { table.append($0) }
        XCTAssertEqual(indices, (0..<Int32(paths.count)).map { $0 })
        XCTAssertEqual(indices.map { table[$0] }, paths)
        XCTAssertEqual(table.count, paths.count)
    }

    func testThousandsOfFilesInOneFolderKeepTheirOrder() {
        var table = PathTable()
        let paths = (0..<5000).map { String(format: "/data/run/%05d.png", $0) }
        for p in paths { _ = table.append(p) }
        XCTAssertEqual((0..<5000).map { table[Int32($0)] }, paths)
    }
}
