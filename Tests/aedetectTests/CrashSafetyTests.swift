import Foundation
import XCTest

/// Killed, interrupted and obstructed runs, through the command line: resumed training ends with the
/// weights of an uninterrupted fit, and nothing half-written is ever taken for a result.
final class CrashSafetyTests: XCTestCase {
    static var work: URL!
    static let trainImages = CLI.fixture("mnist/train-images-idx3-ubyte.gz")
    /// All 2,500 fixture digits with the dense preset: about a third of a second an epoch, slow enough to kill mid-fit.
    static func fitArguments(out: URL, epochs: Int = 6) -> [String] {
        ["fit", trainImages, "--preset", "dense", "--epochs", String(epochs), "--batch-size", "25", "--seed", "7",
         "--threads", "1", "--out", out.path, "--quiet"]
    }

    override class func setUp() { work = try! CLI.temporaryFolder() }
    override class func tearDown() { try? FileManager.default.removeItem(at: work) }

    private func folder(_ name: String) -> URL { Self.work.appendingPathComponent("\(name)-\(UUID().uuidString)") }

    private func start(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = arguments
        p.currentDirectoryURL = CLI.packageRoot
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Polls until `condition` holds (or the process ends, or 60 s pass).
    private func wait(for process: Process, until condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && !condition() && Date() < deadline { usleep(2_000) }
    }

    func testKilledFitsResumeToTheWeightsOfAnUninterruptedFit() throws {
        let straight = folder("straight").appendingPathExtension("safetensors")
        let r = try CLI.run(Self.fitArguments(out: straight))
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = try SafetensorsFile(straight).tensors
        XCTAssertEqual(expected.count, 8)

        for killAfter in [1, 2, 4] {
            let out = folder("killed").appendingPathExtension("safetensors")
            let checkpoint = URL(fileURLWithPath: out.path + ".checkpoint")
            let p = try start(Self.fitArguments(out: out) + ["--checkpoint-every", "1"])
            wait(for: p) { ((try? SafetensorsFile(checkpoint))?.epochsDone ?? 0) >= killAfter }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "killed before it finished (after \(killAfter))")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "no model, whole or partial, under the final name")
            let done = try XCTUnwrap(SafetensorsFile(checkpoint).epochsDone, "the checkpoint is whole and readable")
            XCTAssertGreaterThanOrEqual(done, killAfter)
            XCTAssertLessThan(done, 6)

            let resumed = try CLI.run(Self.fitArguments(out: out) + ["--checkpoint-every", "1", "--resume", checkpoint.path])
            XCTAssertEqual(resumed.status, 0, resumed.stderr)
            XCTAssertEqual(try SafetensorsFile(out).tensors, expected, "resumed after epoch \(done): the weights equal the uninterrupted fit's")
        }
    }

    func testSIGTERMStopsTheFitNamingTheLastCheckpoint() throws {
        let out = folder("term").appendingPathExtension("safetensors")
        let checkpoint = URL(fileURLWithPath: out.path + ".checkpoint")
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = Self.fitArguments(out: out, epochs: 20) + ["--checkpoint-every", "1"]
        p.currentDirectoryURL = CLI.packageRoot
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        wait(for: p) { FileManager.default.fileExists(atPath: checkpoint.path) }
        kill(p.processIdentifier, SIGTERM)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 143)
        XCTAssertTrue(message.contains("interrupted by SIGTERM") && message.contains("--resume \(checkpoint.path)"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        XCTAssertNotNil(try SafetensorsFile(checkpoint).epochsDone)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: Self.work.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], "no temporary file left behind")
    }

    func testResumeWithOtherSettingsIsRefused() throws {
        let out = folder("settings").appendingPathExtension("safetensors")
        XCTAssertEqual(try CLI.run(Self.fitArguments(out: out, epochs: 1) + ["--checkpoint-every", "1"]).status, 0)
        var args = Self.fitArguments(out: folder("again").appendingPathExtension("safetensors"), epochs: 2)
        args[args.firstIndex(of: "7")!] = "8"
        let r = try CLI.run(args + ["--resume", out.path + ".checkpoint"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("seed: 7 in the checkpoint, 8 now"), r.stderr)

        // The scoring rule decides the calibration, so it is a setting too (the README says so).
        let other = Self.fitArguments(out: folder("scoring").appendingPathExtension("safetensors"), epochs: 2)
        let s = try CLI.run(other + ["--scoring", "smoothed_mse:1", "--resume", out.path + ".checkpoint"])
        XCTAssertEqual(s.status, 65)
        XCTAssertTrue(s.stderr.contains("scoring: pixel_mse in the checkpoint, smoothed_mse:1"), s.stderr)
    }

    /// A score killed mid-run leaves its folder marked incomplete (merge refuses it); the same command
    /// run again completes it.
    func testKilledScoreLeavesAnIncompleteFolderThatARerunCompletes() throws {
        let model = try fitQuickModel()
        let out = folder("score")
        // The test set twenty times over: 10,000 inputs, a few seconds of scoring to be killed in.
        let args = ["score", "--model", model] + Array(repeating: CLI.fixture("mnist/t10k-images-idx3-ubyte.gz"), count: 20)
            + ["--out", out.path, "--quiet", "--threads", "1"]
        let p = try start(args)
        wait(for: p) { FileManager.default.fileExists(atPath: out.appendingPathComponent(".incomplete").path) }
        usleep(100_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, "killed mid-run")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(".incomplete").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))

        let rerun = try CLI.run(args)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(".incomplete").path))
        XCTAssertEqual(parseCSV(try String(contentsOf: out.appendingPathComponent("scores.csv"), encoding: .utf8)).count, 1 + 10_000)
    }

    func testAModelReplacedMidRunIsRefused() throws {
        let model = try fitQuickModel()
        let other = try fitQuickModel(seed: "2")
        let out = folder("replaced")
        let args = ["score", "--model", model] + Array(repeating: CLI.fixture("mnist/t10k-images-idx3-ubyte.gz"), count: 20)
            + ["--out", out.path, "--threads", "1"]
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        wait(for: p) { FileManager.default.fileExists(atPath: out.appendingPathComponent(".incomplete").path) }
        XCTAssertEqual(rename(other, model), 0)   // how `fit --force` replaces a model: a new file renamed over it
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 65)
        XCTAssertTrue(message.contains("replaced or changed while scoring"), message)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(".incomplete").path), "still marked incomplete")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("scores.csv").path))
    }

    func testAnUnwritableOutputLocationFailsBeforeTheWork() throws {
        let file = Self.work.appendingPathComponent("a-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        let fit = try CLI.run(Self.fitArguments(out: file.appendingPathComponent("m.safetensors")))
        XCTAssertEqual(fit.status, 74)
        XCTAssertTrue(fit.stderr.contains(file.path) && fit.stderr.contains("cannot"), fit.stderr)
        XCTAssertFalse(fit.stderr.contains("epoch"), "refused before training")
        let model = try fitQuickModel()
        let score = try CLI.run(["score", "--model", model, CLI.fixture("digits/3"), "--out", file.appendingPathComponent("run").path])
        XCTAssertEqual(score.status, 74)
        XCTAssertTrue(score.stderr.contains(file.path), score.stderr)

        // A read-only folder (meaningless to root, who writes anyway).
        let locked = folder("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        chmod(locked.path, 0o555)
        defer { chmod(locked.path, 0o755) }
        guard !FileManager.default.createFile(atPath: locked.appendingPathComponent("probe").path, contents: nil) else {
            throw XCTSkip("running as root: a read-only folder is writable")
        }
        let ro = try CLI.run(["score", "--model", model, CLI.fixture("digits/3"), "--out", locked.appendingPathComponent("run").path])
        XCTAssertEqual(ro.status, 74)
    }

    private func fitQuickModel(seed: String = "1") throws -> String {
        let out = folder("quick").appendingPathExtension("safetensors")
        let r = try CLI.run(["fit", CLI.fixture("digits/3"), "--preset", "dense", "--epochs", "1", "--seed", seed, "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out.path
    }
}

/// Just enough of the safetensors format to compare weights and read a checkpoint's progress.
struct SafetensorsFile {
    let header: [String: Any]
    let body: Data

    init(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count >= 8 else { throw CocoaError(.fileReadCorruptFile) }
        let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        header = try JSONSerialization.jsonObject(with: data[8..<(8 + n)]) as! [String: Any]
        body = data[(8 + n)...]
    }

    /// Name → raw bytes of every tensor.
    var tensors: [String: Data] {
        var out: [String: Data] = [:]
        for (name, entry) in header where name != "__metadata__" {
            let offsets = (entry as! [String: Any])["data_offsets"] as! [Int]
            out[name] = body[(body.startIndex + offsets[0])..<(body.startIndex + offsets[1])]
        }
        return out
    }

    /// Epochs a checkpoint has done.
    var epochsDone: Int? {
        guard let meta = header["__metadata__"] as? [String: String], let state = meta["state"],
              let object = try? JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any] else { return nil }
        return object["epochsDone"] as? Int
    }
}
