import DataIO
import Foundation
import XCTest

/// fit → score → the run folder, end to end through the command line.
final class FitScoreTests: XCTestCase {
    static var work: URL!
    static var model: String { work.appendingPathComponent("threes.safetensors").path }

    override class func setUp() {
        work = try! CLI.temporaryFolder()
        let r = try! CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"),
                              "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"), "--normal-class", "3",
                              "--preset", "dense", "--epochs", "4", "--batch-size", "25", "--threshold", "quantile:0.95",
                              "--out", model, "--quiet"])
        precondition(r.status == 0, "fit failed: \(r.stderr)")
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    func testFitPrintsTheCalibration() throws {
        let r = try CLI.run(["inspect", "--model", Self.model])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Total params: 454,004"))
        XCTAssertTrue(r.stdout.contains("Training: 4 epochs"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"method\":\"quantile:0.95\""), r.stdout)
    }

    func testScoreWritesACompleteRunFolder() throws {
        let out = Self.work.appendingPathComponent("run-\(UUID().uuidString)")
        let r = try CLI.run(["score", "--model", Self.model, CLI.fixture("digits"), CLI.fixture("broken"),
                             "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("198 inputs: 188 scored, 10 unreadable"), r.stdout)

        // scores.csv: one row per input; the broken files carry their errors.
        let scores = parseCSV(try String(contentsOf: out.appendingPathComponent("scores.csv"), encoding: .utf8))
        let header = scores[0]
        XCTAssertEqual(Array(header.prefix(6)), ["path", "status", "error", "score", "p_value", "outlier"])
        let rows = scores.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        XCTAssertEqual(rows.count, 198)
        let broken = rows.filter { $0["path"]!.contains("/broken/") }
        XCTAssertEqual(broken.count, 10)
        XCTAssertTrue(broken.allSatisfy { $0["status"] == "error" && !$0["message"]!.isEmpty })
        XCTAssertEqual(rows.first { $0["path"]!.hasSuffix("empty.png") }?["message"], "the file is empty (0 bytes)")

        // outliers.csv: the outliers, most anomalous first.
        let outliers = parseCSV(try String(contentsOf: out.appendingPathComponent("outliers.csv"), encoding: .utf8))
        let scoreColumn = outliers[0].firstIndex(of: "score")!
        let outlierScores = outliers.dropFirst().map { Double($0[scoreColumn])! }
        XCTAssertEqual(outlierScores.count, rows.filter { $0["outlier"] == "true" }.count)
        XCTAssertGreaterThan(outlierScores.count, 0)
        XCTAssertEqual(outlierScores, outlierScores.sorted(by: >))

        // Grids decode as PNGs of the layout's size.
        for name in ["outliers", "inliers"] {
            let png = try PNG.read(path: out.appendingPathComponent("grids/\(name).png").path, channels: 3)
            XCTAssertEqual(png.width, 264, name)       // three 28×28 panels at 3× with gutters
            XCTAssertGreaterThan(png.height, 28 * 3, name)
        }

        // summary.json parses, with the documented keys and counts.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        XCTAssertEqual(summary["schema_version"] as? Int, 1)
        for key in ["context", "counts", "threshold", "scores", "failed", "outliers", "files"] { XCTAssertNotNil(summary[key], key) }
        let counts = summary["counts"] as! [String: Any]
        XCTAssertEqual(counts["inputs"] as? Int, 198)
        XCTAssertEqual(counts["failed"] as? Int, 10)

        // report.html holds its charts and images inline.
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "<svg").count - 1, 2)
        XCTAssertTrue(html.contains("data:image/png;base64,"))
        XCTAssertTrue(html.contains("huge-dimensions.png"), "the failed-inputs table names the broken files")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(".incomplete").path))
    }

    func testScoreRefusesAFinishedRunWithoutForceAndFailOnOutliersSetsTheStatus() throws {
        let out = Self.work.appendingPathComponent("run-\(UUID().uuidString)").path
        let first = try CLI.run(["score", "--model", Self.model, CLI.fixture("digits/anomalies"), "--out", out, "--quiet",
                                 "--fail-on-outliers"])
        XCTAssertEqual(first.status, 1, "planted anomalies are outliers: \(first.stdout) \(first.stderr)")
        let again = try CLI.run(["score", "--model", Self.model, CLI.fixture("digits/anomalies"), "--out", out, "--quiet"])
        XCTAssertEqual(again.status, 73)
        XCTAssertTrue(again.stderr.contains(out), again.stderr)
        let forced = try CLI.run(["score", "--model", Self.model, CLI.fixture("digits/anomalies"), "--out", out, "--quiet", "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
    }

    func testFitRefusesToOverwriteAModel() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: Self.model))
        let r = try CLI.run(["fit", CLI.fixture("digits/3"), "--preset", "dense", "--epochs", "1", "--out", Self.model, "--quiet"])
        XCTAssertEqual(r.status, 73)
        XCTAssertTrue(r.stderr.contains("already exists; pass --force"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: Self.model)), before)
    }

    /// A latent scoring term end to end: fit keeps it, score uses it (anomalies rank above normals
    /// on the fixture digits), and an architecture without a code is refused before training.
    func testLatentScoringTermThroughFitAndScore() throws {
        let model = Self.work.appendingPathComponent("latent.safetensors").path
        let fit = try CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"),
                               "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"), "--normal-class", "3",
                               "--preset", "detector", "--epochs", "2", "--scoring", "smoothed_mse:1+latent:0.5",
                               "--out", model, "--quiet"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let inspect = try CLI.run(["inspect", "--model", model])
        XCTAssertTrue(inspect.stdout.contains("\"latent_weight\":0.5"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("latent: {"), "the fitted Gaussian is in the file")
        let out = Self.work.appendingPathComponent("latent-run")
        let score = try CLI.run(["score", "--model", model, CLI.fixture("digits/3"), CLI.fixture("digits/anomalies"),
                                 "--out", out.path, "--quiet"])
        XCTAssertEqual(score.status, 0, score.stderr)
        let table = parseCSV(try String(contentsOf: out.appendingPathComponent("scores.csv"), encoding: .utf8))
        let rows = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(table[0], $0)) }
        func meanScore(_ folder: String) -> Double {
            let s = rows.filter { $0["path"]!.contains("/\(folder)/") }.map { Double($0["score"]!)! }
            return s.reduce(0, +) / Double(s.count)
        }
        XCTAssertGreaterThan(meanScore("anomalies"), meanScore("3"))
        XCTAssertTrue(rows.allSatisfy { $0["score"] != $0["error"] }, "the score is the rule's, not the raw error")

        let refused = try CLI.run(["fit", CLI.fixture("digits/3"), "--preset", "denoise", "--epochs", "50",
                                   "--scoring", "pixel_mse+latent:1", "--out", Self.work.appendingPathComponent("no.safetensors").path,
                                   "--quiet"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("no encoder layer"), refused.stderr)
        let tooFew = try CLI.run(["fit", CLI.fixture("digits/3"), "--preset", "dense", "--epochs", "50",
                                  "--scoring", "pixel_mse+latent:1", "--out", Self.work.appendingPathComponent("few.safetensors").path,
                                  "--quiet"])
        XCTAssertEqual(tooFew.status, 65)
        XCTAssertTrue(tooFew.stderr.contains("too few for a 100-dimensional latent Gaussian"), tooFew.stderr)
    }

    func testCorruptModelIsRefusedWithStatus65() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.model))
        bytes[bytes.count - 100] ^= 0xFF
        let bad = Self.work.appendingPathComponent("bad.safetensors")
        try bytes.write(to: bad)
        let r = try CLI.run(["score", "--model", bad.path, CLI.fixture("digits/3"), "--out", Self.work.appendingPathComponent("x").path])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("altered or corrupted"), r.stderr)
    }

    func testEvaluateReportsMetricsAgainstSubfolderLabels() throws {
        let out = Self.work.appendingPathComponent("eval-\(UUID().uuidString)")
        let r = try CLI.run(["evaluate", "--model", Self.model, CLI.fixture("digits"), "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("ROC AUC"), r.stdout)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        let evaluation = try XCTUnwrap(summary["evaluation"] as? [String: Any])
        let auc = try XCTUnwrap(evaluation["roc_auc"] as? Double)
        XCTAssertGreaterThan(auc, 0.7)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("grids/roc.svg").path))
    }

    func testEncodeWritesTheDenseCode() throws {
        let csv = Self.work.appendingPathComponent("codes.csv")
        let r = try CLI.run(["encode", "--model", Self.model, CLI.fixture("digits/7"), CLI.fixture("broken/empty.png"), "--out", csv.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = parseCSV(try String(contentsOf: csv, encoding: .utf8))
        XCTAssertEqual(rows[0].count, 3 + 100)          // path, status, message, z0…z99
        XCTAssertEqual(rows.count, 1 + 11)
        XCTAssertTrue(rows.dropFirst().filter { $0[1] == "ok" }.allSatisfy { $0.dropFirst(3).allSatisfy { Float($0) != nil } })
        XCTAssertEqual(rows.last?[1], "error")
        let idx = Self.work.appendingPathComponent("codes.idx.gz")
        XCTAssertEqual(try CLI.run(["encode", "--model", Self.model, CLI.fixture("digits/7"), "--out", idx.path]).status, 0)
        let array = try IDX.read(path: idx.path)
        XCTAssertEqual(array.shape, [10, 100])
        XCTAssertEqual(array.type, .float32)
    }

    func testRenderWritesAGrid() throws {
        let png = Self.work.appendingPathComponent("grid.png")
        let r = try CLI.run(["render", "--model", Self.model, CLI.fixture("digits/anomalies"), "--limit", "3", "--out", png.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let image = try PNG.read(path: png.path, channels: 3)
        XCTAssertEqual(image.width, 264)
    }
}
