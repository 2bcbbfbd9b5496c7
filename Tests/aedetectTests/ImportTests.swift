import Foundation
import XCTest

/// `aedetect import` end to end: a Keras file becomes a model that `score` and `encode` use; refusals
/// exit with the documented statuses and say what is wrong.
final class ImportTests: XCTestCase {
    func testImportThenScoreAndEncode() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = work.appendingPathComponent("lstm.safetensors").path
        let imported = try CLI.run(["import", CLI.fixture("keras/lstm.keras"), "--calibrate", CLI.fixture("mnist/train-images-idx3-ubyte.gz"),
                                    "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"), "--normal-class", "3", "--out", model])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("scoring: pixel_mse"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("from 250 held-out normal samples"), imported.stdout)
        XCTAssertTrue(imported.stderr.contains("encoder: layer 0 \"bidirectional\""), imported.stderr)

        let again = try CLI.run(["import", CLI.fixture("keras/lstm.keras"), "--calibrate", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--out", model])
        XCTAssertEqual(again.status, 73, "refuses to overwrite without --force")

        let run = work.appendingPathComponent("run")
        let scored = try CLI.run(["score", "--model", model, CLI.fixture("digits"), "--out", run.path, "--quiet"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        let rows = parseCSV(try String(contentsOf: run.appendingPathComponent("scores.csv"), encoding: .utf8))
        XCTAssertEqual(rows.count, 1 + 188)

        let codes = work.appendingPathComponent("codes.csv").path
        let encoded = try CLI.run(["encode", "--model", model, CLI.fixture("digits/3"), "--out", codes])
        XCTAssertEqual(encoded.status, 0, encoded.stderr)
        XCTAssertTrue(encoded.stdout.contains("224 values each"), encoded.stdout)
    }

    func testScoringOptionAndForce() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = work.appendingPathComponent("dense.safetensors").path
        try Data().write(to: URL(fileURLWithPath: model))
        let r = try CLI.run(["import", CLI.fixture("keras/dense.keras"), "--calibrate", CLI.fixture("mnist/train-images-idx3-ubyte.gz"),
                             "--scoring", "smoothed_mse:1+latent:0.3", "--out", model, "--force", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("scoring: smoothed_mse:1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("from 250 held-out normal samples"), "a tenth calibrates, the rest fits the terms: \(r.stdout)")
    }

    func testRefusalsNameTheLayerAndTheFile() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let out = work.appendingPathComponent("m.safetensors").path
        let bad = try CLI.run(["import", CLI.fixture("keras/bad-dropout.keras"), "--calibrate", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--out", out])
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.contains("bad-dropout.keras: layer \"dropout\" (Dropout) cannot be imported"), bad.stderr)
        let notZip = try CLI.run(["import", CLI.fixture("mnist/t10k-labels-idx1-ubyte.gz"), "--calibrate", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--out", out])
        XCTAssertEqual(notZip.status, 65)
        XCTAssertTrue(notZip.stderr.contains("t10k-labels-idx1-ubyte.gz: not a usable .keras archive: not a zip archive"), notZip.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
