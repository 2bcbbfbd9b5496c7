import DataIO
import Foundation
import XCTest

/// `--threads` changes how the work is split, never a result: `fit` with 1, 2 and 3 threads
/// writes the same tensors, and `score` the same scores.csv, for the dense detector of 28×28
/// digits and for the tiled detector of colour images.
final class ThreadInvarianceTests: XCTestCase {
    static var work: URL!

    /// 64×64 colour stripes (several 32-pixel tiles per image) for the tiled detector.
    override class func setUp() {
        work = try! CLI.temporaryFolder()
        for i in 0..<24 {
            let values = (0..<(64 * 64)).flatMap { p -> [Float] in
                ((p % 64) + i) / 5 % 2 == 0 ? [0.8, 0.3, 0.2] : [0.2, 0.5, 0.7]
            }
            let url = work.appendingPathComponent("colour/\(i).png")
            try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! PNG.write(unitFloats: values, width: 64, height: 64, channels: 3, to: url.path)
        }
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    func testDenseDetectorFitAndScoreDoNotDependOnThreads() throws {
        let fit = ["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"),
                   "--normal-class", "3", "--epochs", "2"]
        try checkThreads(fit: fit, score: CLI.fixture("digits"), name: "dense")
    }

    func testTiledDetectorFitAndScoreDoNotDependOnThreads() throws {
        let folder = Self.work.appendingPathComponent("colour").path
        try checkThreads(fit: ["fit", folder, "--steps", "40"], score: folder, name: "tiled")
    }

    private func checkThreads(fit: [String], score input: String, name: String) throws {
        var tensors: [Data] = [], scores: [String] = []
        for threads in ["1", "2", "3"] {
            let model = Self.work.appendingPathComponent("\(name)-\(threads).safetensors").path
            let run = Self.work.appendingPathComponent("\(name)-run-\(threads)").path
            let f = try CLI.run(fit + ["--threads", threads, "--out", model, "--quiet"])
            XCTAssertEqual(f.status, 0, f.stderr)
            tensors.append(try Self.tensorBytes(model))
            let s = try CLI.run(["score", "--model", model, input, "--out", run, "--threads", threads, "--quiet", "--maps", "none"])
            XCTAssertEqual(s.status, 0, s.stderr)
            scores.append(try String(contentsOfFile: run + "/scores.csv", encoding: .utf8))
        }
        XCTAssertGreaterThan(tensors[0].count, 1000)
        XCTAssertEqual(Set(tensors).count, 1, "\(name): the trained tensors differ between --threads 1, 2 and 3")
        // The models are the same, so the 2- and 3-thread runs are scored by the 1-thread model too.
        XCTAssertEqual(Set(scores).count, 1, "\(name): scores.csv differs between --threads 1, 2 and 3")
    }

    /// The tensor data of a safetensors file: everything after its JSON header (the header
    /// also holds the training history's wall times, which differ from run to run).
    static func tensorBytes(_ path: String) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        return data.subdata(in: (8 + length)..<data.count)
    }
}
