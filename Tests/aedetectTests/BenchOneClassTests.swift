import Foundation
import XCTest

/// `bench oneclass` on the committed MNIST subset: one class, 2 epochs, into a report that
/// already holds another section.
final class BenchOneClassTests: XCTestCase {
    func testWritesItsSectionAndKeepsTheRestOfTheReport() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let report = work.appendingPathComponent("quality.md")
        try "# Detection quality\n\n## A section written by hand\n\nkept as it is\n".write(to: report, atomically: true, encoding: .utf8)
        let args = ["bench", "oneclass", "--data", CLI.fixture("mnist"), "--classes", "1", "--epochs", "2",
                    "--pca-components", "8", "--report", report.path, "--quiet"]
        var r = try CLI.run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("class 1: AUROC"), r.stdout)
        r = try CLI.run(args)   // a second run replaces its section instead of adding one
        XCTAssertEqual(r.status, 0, r.stderr)

        let text = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(text.contains("## A section written by hand\n\nkept as it is"))
        XCTAssertEqual(text.components(separatedBy: "<!-- begin oneclass mnist detector").count, 2, text)
        XCTAssertTrue(text.contains("## One-class benchmark: MNIST, `detector`"), text)
        XCTAssertTrue(text.contains("| class | AUROC | F1 | FPR on normal test images | PCA AUROC | PCA F1 | PCA FPR |"), text)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("| 1 | 0.") }, text)
        XCTAssertTrue(row.contains("(0/50)") || row.contains("/50)"), "50 normal test images: \(row)")
        XCTAssertTrue(text.contains("| **mean** |"))
        XCTAssertTrue(text.contains("| 1 | 25 |"), "calibration table: 25 held-out scores")
        XCTAssertTrue(text.contains("Wall time"))
    }

    /// Without --report nothing is written: not reports/quality.md, not anything else.
    func testWritesNoReportUnlessAsked() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let r = try CLI.run(["bench", "oneclass", "--data", CLI.fixture("mnist"), "--classes", "1", "--epochs", "1",
                             "--pca-components", "0", "--quiet"], in: work)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("class 1: AUROC"), r.stdout)
        XCTAssertFalse(r.stdout.contains("updated"), r.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path), [])
    }

    func testRecordsTheCommandWithoutThisMachinesPaths() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let report = work.appendingPathComponent("q.md")
        let r = try CLI.run(["bench", "oneclass", "--data", CLI.fixture("mnist"), "--classes", "1", "--epochs", "1",
                             "--pca-components", "0", "--quiet", "--report", report.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(text.contains("by `aedetect bench oneclass --classes 1 --epochs 1 --pca-components 0 --quiet`"), text)
        XCTAssertFalse(text.contains(CLI.fixture("mnist")), text)
    }

    func testRefusesAnUnknownDatasetAndBadClasses() throws {
        XCTAssertNotEqual(try CLI.run(["bench", "oneclass", "--dataset", "cifar"]).status, 0)
        XCTAssertNotEqual(try CLI.run(["bench", "oneclass", "--classes", "3,x"]).status, 0)
    }
}
