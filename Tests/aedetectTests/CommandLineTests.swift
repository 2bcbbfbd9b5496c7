import Foundation
import XCTest

/// One command line: `convert` takes --out like every other command (the output second still
/// works), and the shared options read the same in every command that has them.
final class CommandLineTests: XCTestCase {
    func testConvertTakesOutLikeTheOtherCommands() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let images = CLI.fixture("mnist/t10k-images-idx3-ubyte.gz")
        let a = work.appendingPathComponent("a"), b = work.appendingPathComponent("b")
        var r = try CLI.run(["convert", images, "--out", a.path, "--limit", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLI.run(["convert", images, b.path, "--limit", "3"])   // the older, positional form
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: a.path).sorted()
        XCTAssertEqual(names, ["00000.png", "00001.png", "00002.png"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: b.path).sorted(), names)
        for name in names {
            XCTAssertEqual(FileManager.default.contents(atPath: a.appendingPathComponent(name).path),
                           FileManager.default.contents(atPath: b.appendingPathComponent(name).path))
        }
        let idx = work.appendingPathComponent("back.idx.gz")
        r = try CLI.run(["convert", a.path, "-o", idx.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: idx.path))

        XCTAssertEqual(try CLI.run(["convert", images, "--out", a.path, b.path]).status, 64, "the output twice")
        XCTAssertEqual(try CLI.run(["convert", images]).status, 64, "no output")
    }

    /// The shared options' help lines are the same text in every command that takes them.
    func testSharedOptionsReadTheSameEverywhere() throws {
        let commands = [["fit"], ["score"], ["evaluate"], ["inspect"], ["demo"], ["merge"], ["encode"], ["render"],
                        ["denoise"], ["bench", "train"], ["bench", "infer"], ["bench", "layers"], ["bench", "oneclass"],
                        ["bench", "folders"]]
        var seen: [String: [String: [String]]] = [:]   // option → help text → commands
        for command in commands {
            let r = try CLI.run(command + ["--help"])
            XCTAssertEqual(r.status, 0, r.stderr)
            for (option, text) in Self.optionHelp(r.stdout) where ["--threads", "--batch-size", "--preset", "--arch", "--scoring", "--quiet", "--force"].contains(option) {
                seen[option, default: [:]][text, default: []].append(command.joined(separator: " "))
            }
        }
        for option in ["--threads", "--batch-size", "--preset", "--scoring", "--quiet", "--force"] {
            XCTAssertNotNil(seen[option], option)
        }
        for (option, texts) in seen {
            XCTAssertEqual(texts.count, 1, "\(option) reads differently: \(texts)")
        }
        XCTAssertEqual(Set(seen["--scoring"]?.values.first ?? []), ["fit", "bench oneclass"])
        XCTAssertEqual(Set(seen["--threads"]?.values.first ?? []).isSuperset(of: ["fit", "score", "evaluate", "bench train", "bench oneclass"]), true)
    }

    /// The help of each option in an OPTIONS section, joined over its wrapped lines, without the default.
    static func optionHelp(_ help: String) -> [(String, String)] {
        var result: [(String, String)] = [], current: (String, String)?
        for line in help.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  -") {
                if let current { result.append(current) }
                let parts = trimmed.components(separatedBy: "  ").filter { !$0.isEmpty }
                let name = parts[0].components(separatedBy: " ").first { $0.hasPrefix("--") } ?? parts[0]
                current = (name, parts.dropFirst().joined(separator: " "))
            } else if line.hasPrefix("    "), current != nil {
                current!.1 += (current!.1.isEmpty ? "" : " ") + trimmed
            } else if let c = current {
                result.append(c); current = nil
            }
        }
        if let current { result.append(current) }
        return result.map { ($0.0, $0.1.replacingOccurrences(of: #"\s*\(default: [^()]*\)$"#, with: "", options: .regularExpression)) }
    }
}
