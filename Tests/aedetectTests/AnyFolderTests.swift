import DataIO
import Foundation
import XCTest

/// `fit` on a folder that is not 28×28 grayscale: the geometry comes from the images, colour
/// stays colour, and `evaluate --masks` measures the anomaly maps.
final class AnyFolderTests: XCTestCase {
    static var work: URL!

    /// Colour stripes, 32×32; `hue` images have a square whose red and blue are swapped, with its mask.
    override class func setUp() {
        work = try! CLI.temporaryFolder()
        func stripes(_ seed: Int) -> [Float] {
            (0..<(32 * 32)).flatMap { p -> [Float] in
                let band = ((p % 32) + seed) / 4 % 2 == 0
                return band ? [0.8, 0.3, 0.2] : [0.2, 0.5, 0.7]
            }
        }
        func write(_ values: [Float], _ path: String, channels: Int = 3) {
            let url = work.appendingPathComponent(path)
            try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! PNG.write(unitFloats: values, width: 32, height: 32, channels: channels, to: url.path)
        }
        for i in 0..<40 { write(stripes(i % 8), "train/good/\(i).png") }
        try! PNG.write(unitFloats: [Float](repeating: 0.5, count: 40 * 40 * 3), width: 40, height: 40, channels: 3,
                       to: work.appendingPathComponent("train/good/odd-size.png").path)
        for i in 0..<6 {
            write(stripes(i + 1), "test/good/\(i).png")
            var x = stripes(i + 3), mask = [Float](repeating: 0, count: 32 * 32)
            for y in 10..<18 { for c in 12..<20 { let p = 3 * (y * 32 + c); x.swapAt(p, p + 2); mask[y * 32 + c] = 1 } }
            write(x, "test/hue/\(i).png")
            write(mask, "test-masks/hue/\(i).png", channels: 1)
        }
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    private func path(_ p: String) -> String { Self.work.appendingPathComponent(p).path }

    /// The `preprocessing` metadata of a model file (safetensors: 8-byte length, then the JSON header).
    private func preprocessing(_ model: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: model))
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        let text = (header["__metadata__"] as! [String: String])["preprocessing"]!
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    func testColourFolderKeepsItsSizeAndColourAndEvaluatesItsMaps() throws {
        let model = path("colour.safetensors")
        let fit = try CLI.run(["fit", path("train"), "--steps", "40", "--out", model])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stderr.contains("input 32×32, colour (40 of 41 images)"), fit.stderr)
        XCTAssertTrue(fit.stderr.contains("odd-size.png"), "the image of another size is named: \(fit.stderr)")
        let p = try preprocessing(model)
        XCTAssertEqual(p["height"] as? Int, 32)
        XCTAssertEqual(p["width"] as? Int, 32)
        XCTAssertEqual(p["channels"] as? Int, 3)
        XCTAssertEqual(p["tile"] as? Int, 32)

        let run = path("run")
        let evaluate = try CLI.run(["evaluate", "-m", model, path("test"), "--normal-class", "good", "--masks", path("test-masks"),
                                    "--out", run, "--quiet"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/summary.json"))) as! [String: Any]
        let pixel = try XCTUnwrap((summary["evaluation"] as? [String: Any])?["pixel"] as? [String: Any])
        let auc = try XCTUnwrap(pixel["roc_auc"] as? Double), pro = try XCTUnwrap(pixel["pro_auc"] as? Double)
        XCTAssertTrue((0...1).contains(auc) && (0...1).contains(pro), "\(pixel)")
        XCTAssertEqual(pixel["regions"] as? Int, 6)
        XCTAssertEqual(pixel["defect_pixels"] as? Int, 6 * 64)
    }

    func testGrayscaleFlagAndSizeOverride() throws {
        let model = path("gray.safetensors")
        let fit = try CLI.run(["fit", path("train"), "--grayscale", "--size", "40x40", "--resize", "--steps", "10", "--out", model, "--quiet"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let p = try preprocessing(model)
        XCTAssertEqual([p["height"] as? Int, p["width"] as? Int, p["channels"] as? Int], [40, 40, 1])
        XCTAssertEqual(p["tile"] as? Int, 32)
        XCTAssertEqual(p["tile_stride"] as? Int, 16, "tiles overlap by half when the image is larger than one")
        // The model's tiles are stitched back for every command that reconstructs; encode has no per-image code.
        let render = try CLI.run(["render", "-m", model, path("test/hue"), "--resize", "--out", path("grid.png")])
        XCTAssertEqual(render.status, 0, render.stderr)
        let denoise = try CLI.run(["denoise", "-m", model, path("test/hue"), "--resize", "--out", path("denoised")])
        XCTAssertEqual(denoise.status, 0, denoise.stderr)
        let encode = try CLI.run(["encode", "-m", model, path("test/hue"), "--resize", "--out", path("codes.csv")])
        XCTAssertEqual(encode.status, 65, encode.stderr)
        XCTAssertTrue(encode.stderr.contains("4 tiles of 32×32"), encode.stderr)
        // The fit's --resize is recorded in the model: score resamples the 32×32 images without being told.
        let scored = try CLI.run(["score", "-m", model, path("test/hue"), "--out", path("scored"), "--quiet"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        let rows = try String(contentsOfFile: path("scored/scores.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 6)
        XCTAssertTrue(rows.allSatisfy { $0.contains(",ok,") }, "\(rows)")

        let bad = try CLI.run(["fit", path("train"), "--size", "forty", "--out", path("x.safetensors")])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--size must be HxW"), bad.stderr)
    }
}
