import Foundation
import XCTest

/// score --shard K/N and merge, through the command line: a merge of shards is the unsharded run.
final class ShardedScoringTests: XCTestCase {
    static var work: URL!
    static var model: String { work.appendingPathComponent("tiny.safetensors").path }
    static var otherModel: String { work.appendingPathComponent("other.safetensors").path }
    static var inputs: [String] { [CLI.fixture("digits"), CLI.fixture("broken"), CLI.fixture("mnist/t10k-images-idx3-ubyte.gz")] }

    /// A small dense architecture, so fitting takes a fraction of a second.
    static func writeTinyArchitecture(to url: URL) throws {
        try Data("""
        {"name": "tiny", "input_shape": [784], "layers": [{"type": "Dense", "units": 16, "activation": "relu"},
         {"type": "Dense", "units": 784, "activation": "sigmoid"}], "loss": "binary_crossentropy",
         "learning_rate": 0.01, "batch_size": 25, "encoder_layer": 0}
        """.utf8).write(to: url)
    }

    override class func setUp() {
        work = try! CLI.temporaryFolder()
        let arch = work.appendingPathComponent("tiny.json")
        try! writeTinyArchitecture(to: arch)
        for (out, seed) in [(model, "1"), (otherModel, "2")] {
            let r = try! CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--labels", CLI.fixture("mnist/train-labels-idx1-ubyte.gz"),
                                  "--normal-class", "3", "--arch", arch.path, "--epochs", "3", "--seed", seed,
                                  "--threshold", "quantile:0.95", "--out", out, "--quiet"])
            precondition(r.status == 0, "fit failed: \(r.stderr)")
        }
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    private func folder(_ name: String) -> URL { Self.work.appendingPathComponent("\(name)-\(UUID().uuidString)") }

    private func score(_ out: URL, shard: String? = nil, model: String = ShardedScoringTests.model, extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["score", "--model", model] + Self.inputs + ["--out", out.path, "--quiet"] + (shard.map { ["--shard", $0] } ?? []) + extra)
    }

    private func text(_ dir: URL, _ file: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8) }

    private func summary(_ dir: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json"))) as! [String: Any]
    }

    /// Scores in 3 shards and merges; scores.csv and outliers.csv must equal the unsharded run's byte
    /// for byte (rows in input order, ranks, outliers), with the threshold and with Benjamini–Hochberg.
    func testThreeShardsMergedEqualTheUnshardedRun() throws {
        var runs: [(whole: URL, shards: [URL])] = []
        for selection in [[], ["--fdr", "0.2"]] {
            let whole = folder("whole"), merged = folder("merged")
            XCTAssertEqual(try score(whole, extra: selection).status, 0)
            var shards: [URL] = []
            var sizes: [Int] = []
            for k in 0..<3 {
                let s = folder("shard\(k)")
                let r = try score(s, shard: "\(k)/3", extra: selection)
                XCTAssertEqual(r.status, 0, r.stderr)
                let context = try summary(s)["context"] as! [String: Any]
                XCTAssertEqual(context["shard"] as? String, "\(k)/3")
                XCTAssertTrue((context["model_fingerprint"] as? String)?.hasPrefix("fnv1a64:") == true)
                sizes.append(parseCSV(try text(s, "scores.csv")).count - 1)
                shards.append(s)
            }
            let m = try CLI.run(["merge"] + shards.reversed().map(\.path) + ["--out", merged.path])   // any order
            XCTAssertEqual(m.status, 0, m.stderr)
            XCTAssertEqual(sizes.reduce(0, +), 198 + 500, "each input in exactly one shard")
            XCTAssertTrue(sizes.allSatisfy { $0 > 150 }, "\(sizes)")
            XCTAssertEqual(try text(merged, "scores.csv"), try text(whole, "scores.csv"), "selection \(selection)")
            XCTAssertEqual(try text(merged, "outliers.csv"), try text(whole, "outliers.csv"), "selection \(selection)")
            let outliers = parseCSV(try text(merged, "outliers.csv")).count - 1
            XCTAssertGreaterThan(outliers, 5)
            let counts = try summary(merged)["counts"] as! [String: Any]
            XCTAssertEqual(counts["inputs"] as? Int, 698)
            XCTAssertEqual(counts["outliers"] as? Int, outliers)
            XCTAssertEqual(try Data(contentsOf: merged.appendingPathComponent("grids/outliers.png")),
                           try Data(contentsOf: whole.appendingPathComponent("grids/outliers.png")), "the top outliers' grid, from the pixels the shards kept")
            XCTAssertTrue(FileManager.default.fileExists(atPath: merged.appendingPathComponent("grids/inliers.png").path))
            runs.append((whole, shards))
        }
        // Shards scored against the threshold, merged with --fdr: chosen again from the p-values over
        // the union, exactly as an unsharded --fdr run chooses.
        let refit = folder("refit")
        XCTAssertEqual(try CLI.run(["merge"] + runs[0].shards.map(\.path) + ["--out", refit.path, "--fdr", "0.2"]).status, 0)
        XCTAssertEqual(try text(refit, "outliers.csv"), try text(runs[1].whole, "outliers.csv"))
        XCTAssertNotEqual(try text(refit, "outliers.csv"), try text(runs[0].whole, "outliers.csv"))
    }

    func testMergeRefusesShardsOfAnotherModelMissingRepeatedOrIncompleteShards() throws {
        let a = folder("a"), b = folder("b"), c = folder("c")
        XCTAssertEqual(try score(a, shard: "0/2").status, 0)
        XCTAssertEqual(try score(b, shard: "1/2", model: Self.otherModel).status, 0)
        let other = try CLI.run(["merge", a.path, b.path, "--out", folder("m").path])
        XCTAssertEqual(other.status, 65)
        XCTAssertTrue(other.stderr.contains("different models") || other.stderr.contains("different thresholds"), other.stderr)
        XCTAssertTrue(other.stderr.contains(b.path), other.stderr)

        let missing = try CLI.run(["merge", a.path, "--out", folder("m").path])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stderr.contains("missing shard 1/2"), missing.stderr)
        let twice = try CLI.run(["merge", a.path, a.path, "--out", folder("m").path])
        XCTAssertTrue(twice.stderr.contains("shard 0/2 is given twice"), twice.stderr)

        XCTAssertEqual(try score(c, shard: "1/2").status, 0)
        try Data().write(to: c.appendingPathComponent(".incomplete"))
        let incomplete = try CLI.run(["merge", a.path, c.path, "--out", folder("m").path])
        XCTAssertEqual(incomplete.status, 65)
        XCTAssertTrue(incomplete.stderr.contains(c.path) && incomplete.stderr.contains("incomplete"), incomplete.stderr)
        try FileManager.default.removeItem(at: c.appendingPathComponent(".incomplete"))
        try FileManager.default.removeItem(at: c.appendingPathComponent("summary.json"))
        let noSummary = try CLI.run(["merge", a.path, c.path, "--out", folder("m").path])
        XCTAssertTrue(noSummary.stderr.contains(c.path) && noSummary.stderr.contains("summary.json"), noSummary.stderr)

        let unsharded = folder("u")
        XCTAssertEqual(try score(unsharded).status, 0)
        let notShard = try CLI.run(["merge", a.path, unsharded.path, "--out", folder("m").path])
        XCTAssertTrue(notShard.stderr.contains("scored without --shard"), notShard.stderr)
    }

    func testAutoShardReadsTheSchedulersIndex() throws {
        let k8s = folder("k8s"), slurm = folder("slurm")
        let args = ["score", "--model", Self.model, CLI.fixture("digits"), "--quiet", "--shard", "auto/4"]
        XCTAssertEqual(try CLI.run(args + ["--out", k8s.path], environment: ["JOB_COMPLETION_INDEX": "2"]).status, 0)
        XCTAssertEqual((try summary(k8s)["context"] as! [String: Any])["shard"] as? String, "2/4")
        XCTAssertEqual(try CLI.run(args + ["--out", slurm.path], environment: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1"]).status, 0)
        XCTAssertEqual((try summary(slurm)["context"] as! [String: Any])["shard"] as? String, "2/4")
        XCTAssertEqual(try text(k8s, "scores.csv"), try text(slurm, "scores.csv"), "the same shard wherever it runs")
        let none = try CLI.run(args + ["--out", folder("none").path], environment: [:])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("JOB_COMPLETION_INDEX"), none.stderr)
    }
}

extension CLI {
    /// Runs the binary with exactly `environment` for the scheduler variables (the rest of ours kept).
    static func run(_ arguments: [String], environment: [String: String]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        for key in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN"] { env[key] = nil }
        env.merge(environment) { _, new in new }
        return try run(arguments, in: packageRoot, environment: env)
    }
}
