import Foundation
import XCTest

/// score and evaluate --maps top|none|all, through the command line, with a model fitted in setUp.
final class MapsOptionTests: XCTestCase {
    static var work: URL!
    static var model: String { work.appendingPathComponent("tiny.safetensors").path }

    override class func setUp() {
        work = try! CLI.temporaryFolder()
        let arch = work.appendingPathComponent("tiny.json")
        try! ShardedScoringTests.writeTinyArchitecture(to: arch)
        let r = try! CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"),
                              "--normal-class", "3", "--arch", arch.path, "--epochs", "3", "--seed", "1",
                              "--threshold", "quantile:0.95", "--out", model, "--quiet"])
        precondition(r.status == 0, "fit failed: \(r.stderr)")
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    private func score(_ out: URL, _ extra: [String]) throws {
        let r = try CLI.run(["score", "--model", Self.model, CLI.fixture("digits"), CLI.fixture("broken"),
                             "--out", out.path, "--quiet"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    private func maps(_ out: URL) -> [String]? {
        (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("maps").path))?.sorted()
    }

    private func scored(_ out: URL) throws -> Int {
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        return (summary["counts"] as! [String: Any])["scored"] as! Int
    }

    func testTopWritesAMapAndAnOverlayPerShownOutlierAndNoneRemovesThem() throws {
        let out = Self.work.appendingPathComponent("top-\(UUID().uuidString)")
        try score(out, ["--top", "3"])
        let names = try XCTUnwrap(maps(out))
        XCTAssertEqual(names.count, 6, "\(names)")
        XCTAssertEqual(Set(names.map { $0.prefix(2) }), ["1-", "2-", "3-"])
        XCTAssertEqual(names.filter { $0.hasSuffix("-overlay.png") }.count, 3)
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        for name in names { XCTAssertTrue(markdown.contains("(maps/\(name))"), name) }

        try score(out, ["--maps", "none", "--force"])
        XCTAssertNil(maps(out), "--maps none writes no maps folder, and removes the earlier run's")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("Anomaly maps over the inputs"))
    }

    func testAllWritesTwoFilesPerScoredInput() throws {
        let out = Self.work.appendingPathComponent("all-\(UUID().uuidString)")
        try score(out, ["--maps", "all"])
        let names = try XCTUnwrap(maps(out))
        let scored = try scored(out)
        XCTAssertGreaterThan(scored, 100)
        XCTAssertEqual(names.count, 2 * scored, "unreadable inputs get none")
        XCTAssertTrue(names.contains("digits__anomalies__anomaly_block_0.png-overlay.png"), "named by the path under the argument")
        let png = try Data(contentsOf: out.appendingPathComponent("maps/digits__anomalies__anomaly_block_0.png-map.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    func testEvaluateWritesMapsTooAndAllRefusesAFinishedRun() throws {
        let out = Self.work.appendingPathComponent("evaluate-\(UUID().uuidString)")
        let r = try CLI.run(["evaluate", "--model", Self.model, CLI.fixture("digits"), "--out", out.path, "--quiet", "--top", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(maps(out)?.count, 4)
        let again = try CLI.run(["evaluate", "--model", Self.model, CLI.fixture("digits"), "--out", out.path, "--quiet", "--maps", "all"])
        XCTAssertEqual(again.status, 73, "a finished run is not written into without --force, maps first or not")
        XCTAssertEqual(maps(out)?.count, 4)
    }
}
