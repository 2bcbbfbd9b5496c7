import Foundation
import XCTest

/// fit (no labels) → finetune on labelled fixture digits → classify a folder, through the command line.
final class FinetuneClassifyTests: XCTestCase {
    static var work: URL!
    static var autoencoder: String { work.appendingPathComponent("ae.safetensors").path }
    static var classifier: String { work.appendingPathComponent("clf.safetensors").path }
    static var finetuneOutput = ""

    override class func setUp() {
        work = try! CLI.temporaryFolder()
        // The autoencoder sees the 2,500 fixture training digits without labels.
        var r = try! CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--preset", "dense", "--epochs", "3",
                              "--out", autoencoder, "--quiet"])
        precondition(r.status == 0, "fit failed: \(r.stderr)")
        // 500 labelled test-set digits; the unlabelled images default to the autoencoder's training input.
        r = try! CLI.run(["finetune", "--encoder", autoencoder, CLI.fixture("mnist/t10k-images-idx3-ubyte.gz"),
                          "--labels", CLI.fixture("mnist/t10k-labels-idx1-ubyte.gz"), "--epochs", "40", "--rounds", "1",
                          "--out", classifier])
        precondition(r.status == 0, "finetune failed: \(r.stderr)")
        finetuneOutput = r.stdout + r.stderr
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    func testFinetuneReportsItsStages() {
        let out = Self.finetuneOutput
        XCTAssertTrue(out.contains("2500 unlabelled images from"), out)
        XCTAssertTrue(out.contains("500 labelled samples of 10 classes"), out)
        XCTAssertTrue(out.contains("450 to train on, 50 held out"), out)
        XCTAssertTrue(out.contains("held-out accuracy (50 samples)"), out)
        XCTAssertTrue(out.contains("finetune: wrote"), out)
    }

    func testFinetuneRefusesToOverwriteWithoutForce() throws {
        let r = try CLI.run(["finetune", "--encoder", Self.autoencoder, CLI.fixture("mnist/t10k-images-idx3-ubyte.gz"),
                             "--labels", CLI.fixture("mnist/t10k-labels-idx1-ubyte.gz"), "--out", Self.classifier, "--quiet"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("exists"), r.stderr)
    }

    func testClassifyAFolderWithClassSubfolders() throws {
        let out = Self.work.appendingPathComponent("run-\(UUID().uuidString)")
        let r = try CLI.run(["classify", "--model", Self.classifier, CLI.fixture("digits"), CLI.fixture("broken"),
                             "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("198 inputs: 188 classified, 10 unreadable"), r.stdout)
        XCTAssertTrue(r.stdout.contains("not evaluated: classes the classifier does not know: anomalies"), r.stdout)

        let csv = parseCSV(try String(contentsOf: out.appendingPathComponent("predictions.csv"), encoding: .utf8))
        let header = csv[0]
        XCTAssertEqual(Array(header.prefix(5)), ["path", "status", "label", "probability", "message"])
        XCTAssertEqual(Array(header[5..<15]), (0..<10).map { "p_\($0)" })
        let rows = csv.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        XCTAssertEqual(rows.count, 198, "every input accounted for")
        let broken = rows.filter { $0["path"]!.contains("/broken/") }
        XCTAssertEqual(broken.count, 10)
        XCTAssertTrue(broken.allSatisfy { $0["status"] == "error" && !$0["message"]!.isEmpty && $0["label"] == "" })
        for row in rows where row["status"] == "ok" {
            let p = (0..<10).map { Double(row["p_\($0)"]!)! }
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-4)
            XCTAssertEqual(Double(row["probability"]!)!, p.max()!, accuracy: 1e-6)
            XCTAssertEqual(row["label"], String(p.firstIndex(of: p.max()!)!))
        }

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        let evaluation = summary["evaluation"] as! [String: Any]
        XCTAssertEqual(evaluation["evaluated"] as? Int, 170, "the 170 digits; the 18 anomalies have no class")
        let accuracy = evaluation["accuracy"] as! Double
        XCTAssertGreaterThan(accuracy, 0.6, "chance is 0.1")
        XCTAssertEqual((evaluation["confusion"] as! [[Int]]).joined().reduce(0, +), 170)
        XCTAssertEqual((evaluation["per_class"] as! [[String: Any]]).count, 10)

        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("## Confusion matrix"), md)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<h2>Per class</h2>"))
        XCTAssertTrue(html.contains("empty.png"), "unreadable inputs are listed")
    }

    func testClassifyAnIDXWithLabels() throws {
        let out = Self.work.appendingPathComponent("run-\(UUID().uuidString)")
        let r = try CLI.run(["classify", "--model", Self.classifier, CLI.fixture("mnist/train-images-idx3-ubyte.gz"),
                             "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"), "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2500 inputs: 2500 classified, 0 unreadable"), r.stdout)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        XCTAssertGreaterThan((summary["evaluation"] as! [String: Any])["accuracy"] as! Double, 0.6)
    }

    func testInspectShowsTheClassifier() throws {
        let r = try CLI.run(["inspect", "--model", Self.classifier])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("dense-classifier"), r.stdout)
        XCTAssertTrue(r.stdout.contains("(None, 10)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("classifier: {"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"encoder_source\""), r.stdout)
    }

    func testScratchHasNoEncoderSource() throws {
        let out = Self.work.appendingPathComponent("scratch.safetensors").path
        let r = try CLI.run(["finetune", "--encoder", Self.autoencoder, CLI.fixture("mnist/t10k-images-idx3-ubyte.gz"),
                             "--labels", CLI.fixture("mnist/t10k-labels-idx1-ubyte.gz"), "--scratch", "--epochs", "5",
                             "--unlabelled", "none", "--out", out, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let i = try CLI.run(["inspect", "--model", out])
        XCTAssertFalse(i.stdout.contains("\"encoder_source\""), i.stdout)
    }
}
