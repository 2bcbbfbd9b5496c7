import Foundation
import XCTest

/// JPEG folders end to end: the fixture digits as JPEG score like the same digits as PNG, and every broken
/// JPEG fixture is one error row of its own, with its reason.
final class JPEGFolderTests: XCTestCase {
    static var work: URL!
    static var model: String { work.appendingPathComponent("threes.safetensors").path }

    override class func setUp() {
        work = try! CLI.temporaryFolder()
        let r = try! CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"),
                              "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"), "--normal-class", "3",
                              "--preset", "dense", "--epochs", "4", "--batch-size", "25",
                              "--out", model, "--quiet"])
        precondition(r.status == 0, "fit failed: \(r.stderr)")
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    private func rows(_ run: URL) throws -> [[String: String]] {
        let table = parseCSV(try String(contentsOf: run.appendingPathComponent("scores.csv"), encoding: .utf8))
        return table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(table[0], $0)) }
    }

    private func evaluate(_ folder: String) throws -> (auc: Double, scored: Int) {
        let out = Self.work.appendingPathComponent("eval-\(folder)")
        let r = try CLI.run(["evaluate", "--model", Self.model, CLI.fixture(folder), "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        let evaluation = try XCTUnwrap(summary["evaluation"] as? [String: Any])
        return (try XCTUnwrap(evaluation["roc_auc"] as? Double), try rows(out).filter { $0["status"] == "ok" }.count)
    }

    func testDigitsAsJPEGScoreWithinOneHundredthOfAUCOfTheSameDigitsAsPNG() throws {
        let png = try evaluate("digits"), jpeg = try evaluate("digits-jpeg")
        XCTAssertEqual(png.scored, 188)
        XCTAssertEqual(jpeg.scored, 188)
        XCTAssertGreaterThan(png.auc, 0.7, "the model separates threes from the rest at all")
        XCTAssertEqual(jpeg.auc, png.auc, accuracy: 0.01, "PNG \(png.auc), JPEG \(jpeg.auc)")
    }

    func testEveryBrokenJPEGIsAnErrorRowOfItsOwnWithItsReason() throws {
        let reasons = [
            "12-bit.jpg": "12-bit samples (data precision 12); only 8-bit JPEGs are supported",
            "bad-huffman-table.jpg": "cannot decode JPEG: Bogus Huffman table definition",
            "empty.jpg": "the file is empty",
            "huge-dimensions.jpg": "claims 60000×50000 pixels, more than the limit",
            "no-frame.jpg": "cannot decode JPEG: JPEG datastream contains no image",
            "text.jpg": "not a PNG or JPEG file",
            "truncated-progressive.jpg": "cannot decode JPEG: Premature end of JPEG file",
            "truncated.jpg": "cannot decode JPEG: Premature end of JPEG file",
        ]
        let out = Self.work.appendingPathComponent("broken-run")
        let r = try CLI.run(["score", "--model", Self.model, CLI.fixture("digits-jpeg/3"), CLI.fixture("jpeg/broken"),
                             "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("88 inputs: 80 scored, 8 unreadable"), r.stdout)
        let all = try rows(out)
        XCTAssertEqual(all.filter { $0["status"] == "ok" }.count, 80)
        for (name, reason) in reasons {
            let matching = all.filter { ($0["path"] ?? "").hasSuffix("/broken/" + name) }
            XCTAssertEqual(matching.count, 1, name)
            XCTAssertEqual(matching.first?["status"], "error", name)
            XCTAssertTrue(matching.first?["message"]?.contains(reason) ?? false, "\(name): \(matching.first?["message"] ?? "")")
        }
        XCTAssertEqual(all.filter { $0["status"] == "error" }.count, reasons.count)
    }
}
