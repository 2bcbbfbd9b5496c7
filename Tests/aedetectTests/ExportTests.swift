import Foundation
import XCTest

/// `aedetect export`: writes the file, never replaces one without --force, and refuses unknown formats.
final class ExportTests: XCTestCase {
    private func fittedModel(in work: URL) throws -> String {
        let model = work.appendingPathComponent("dense.safetensors").path
        let fit = try CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--preset", "dense", "--epochs", "1",
                               "--out", model, "--quiet"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        return model
    }

    func testExportRefusesToOverwriteWithoutForce() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try fittedModel(in: work)
        let out = work.appendingPathComponent("m.onnx")

        let first = try CLI.run(["export", "--model", model, "--format", "onnx", "--out", out.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        let written = try Data(contentsOf: out)
        XCTAssertGreaterThan(written.count, 454_004 * 4, "the dense preset's weights are in the file")

        try Data("keep me".utf8).write(to: out)
        let again = try CLI.run(["export", "--model", model, "--format", "onnx", "--out", out.path])
        XCTAssertEqual(again.status, 73, again.stderr)
        XCTAssertEqual(try Data(contentsOf: out), Data("keep me".utf8), "the existing file is untouched")

        let forced = try CLI.run(["export", "--model", model, "--format", "onnx", "--out", out.path, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try Data(contentsOf: out), written, "export is deterministic and --force replaces the file")
    }

    func testAnUnknownFormatIsAUsageError() throws {
        let r = try CLI.run(["export", "--model", "missing.safetensors", "--format", "tflite", "--out", "x"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("onnx"), r.stderr)
    }

    /// A classifier exports as a graph from `input` to `probabilities`, its classes in the metadata.
    func testAClassifierExportsItsProbabilities() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let encoder = try fittedModel(in: work)
        let classifier = work.appendingPathComponent("classifier.safetensors").path
        let finetune = try CLI.run(["finetune", "--encoder", encoder, CLI.fixture("mnist/train-images-idx3-ubyte.gz"),
                                    "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"), "--rounds", "0",
                                    "--unlabelled", "none", "--epochs", "1", "--out", classifier, "--quiet"])
        XCTAssertEqual(finetune.status, 0, finetune.stderr)
        let out = work.appendingPathComponent("c.onnx")
        let r = try CLI.run(["export", "--model", classifier, "--format", "onnx", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("classifier") && r.stdout.contains("10 classes"), r.stdout)
        let bytes = try Data(contentsOf: out)
        for text in ["probabilities", "Softmax", "aedetect.classes", "[\"0\",\"1\",\"2\""] {
            XCTAssertNotNil(bytes.range(of: Data(text.utf8)), "the file names \(text)")
        }
        XCTAssertNil(bytes.range(of: Data("reconstruction".utf8)), "a classifier has no reconstruction output")
    }
}
