import DataIO
import Foundation
import XCTest
@testable import Reporting

final class RunFolderTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("runfolder-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: dir.path)
        return (enumerator?.allObjects as? [String] ?? []).filter { !$0.hasSuffix("grids") }.sorted()
    }

    func testWritesEveryFileAndNothingElse() throws {
        let report = try ReportFixture.report()
        try RunFolder.write(report, to: dir, force: false)
        XCTAssertEqual(files(), ["grids/inliers.png", "grids/loss.svg", "grids/outliers.png", "grids/precision_recall.svg",
                                 "grids/roc.svg", "grids/scores.svg", "outliers.csv", "report.html", "report.md",
                                 "scores.csv", "summary.json"], "no temporary files, no .incomplete")
        XCTAssertTrue(RunFolder.isComplete(dir))
        let grid = try PNG.read(path: dir.appendingPathComponent("grids/outliers.png").path, channels: 3)
        XCTAssertEqual([grid.width, grid.height], [264, 4 + 10 + 100 + 8 + 2 + 8 + 4])
        let scores = try String(contentsOf: dir.appendingPathComponent("scores.csv"), encoding: .utf8)
        XCTAssertEqual(scores, ScoresTable.scoresCSV(report))
    }

    func testRefusesToOverwriteAFinishedRunWithoutForce() throws {
        let report = try ReportFixture.report()
        try RunFolder.write(report, to: dir, force: false)
        XCTAssertThrowsError(try RunFolder.write(report, to: dir, force: false)) { error in
            XCTAssertTrue("\(error)".contains(self.dir.path), "the error names the folder: \(error)")
            XCTAssertTrue("\(error)".contains("finished run"))
        }
        try RunFolder.write(report, to: dir, force: true)
        XCTAssertTrue(RunFolder.isComplete(dir))
    }

    func testRefusesAFolderWithOtherFiles() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try RunFolder.write(try ReportFixture.report(), to: dir, force: false))
        XCTAssertEqual(files(), ["notes.txt"])
    }

    func testACrashedRunIsMarkedIncompleteAndCanBeRerun() throws {
        // An earlier run that died half way: the marker and a partial file.
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("score started earlier\n".utf8).write(to: dir.appendingPathComponent(".incomplete"))
        try Data("path,stat".utf8).write(to: dir.appendingPathComponent("scores.csv"))
        XCTAssertFalse(RunFolder.isComplete(dir))
        // This run fails too: "grids" is a file, so the grid cannot be written.
        try Data().write(to: dir.appendingPathComponent("grids"))
        XCTAssertThrowsError(try RunFolder.write(try ReportFixture.report(), to: dir, force: false))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".incomplete").path),
                      "a failed write leaves the marker")
        let marker = try String(contentsOf: dir.appendingPathComponent(".incomplete"), encoding: .utf8)
        XCTAssertTrue(marker.hasPrefix("evaluate started 20"), marker)
        XCTAssertFalse(RunFolder.isComplete(dir))
        // The rerun, once the obstacle is gone, needs no --force.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("grids"))
        try RunFolder.write(try ReportFixture.report(), to: dir, force: false)
        XCTAssertTrue(RunFolder.isComplete(dir))
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("scores.csv"), encoding: .utf8)
            .hasPrefix("path,status,error"))
        XCTAssertFalse(files().contains { $0.contains(".tmp-") })
    }

    func testARunWithNothingReadableStillGetsAReport() throws {
        var report = try ReportFixture.report(evaluation: false)
        report.records = report.failed
        report.topOutliers = []
        report.typicalInliers = []
        report.history = .init()
        try RunFolder.write(report, to: dir, force: false)
        XCTAssertEqual(files(), ["grids/scores.svg", "outliers.csv", "report.html", "report.md", "scores.csv", "summary.json"])
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("No outliers were found."))
        XCTAssertFalse(html.contains("data:image/png"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json"))) as? [String: Any]
        XCTAssertTrue(json?["scores"] is NSNull)
        XCTAssertEqual(json?["counts"] as? [String: Int], ["inputs": 2, "scored": 0, "failed": 2, "outliers": 0])
    }

    func testForcedRewriteRemovesFilesTheNewRunDoesNotMake() throws {
        try RunFolder.write(try ReportFixture.report(evaluation: true), to: dir, force: false)
        var plain = try ReportFixture.report(evaluation: false)
        plain.typicalInliers = []
        try RunFolder.write(plain, to: dir, force: true)
        XCTAssertFalse(files().contains("grids/roc.svg"))
        XCTAssertFalse(files().contains("grids/inliers.png"))
        XCTAssertTrue(files().contains("grids/outliers.png"))
    }
}
