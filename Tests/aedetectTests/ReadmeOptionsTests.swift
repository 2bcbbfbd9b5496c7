import Foundation
import XCTest

/// Every command and option README.md names must exist: a command the binary does not have, or
/// an option its `--help` does not list, fails here, so the README and the CLI cannot drift apart.
///
/// What counts as naming an option for a command:
/// - a code span or code-block line that runs a command (`fit --scoring pixel_mse`,
///   `aedetect bench oneclass --dataset …`, `$B score … \` with its continuation lines): the
///   `--options` after the command, up to the end of the command (a quote, `;`, `&&`);
/// - a row of the commands table: every `--option` in the row belongs to the row's command,
///   except in code spans that name another command.
final class ReadmeOptionsTests: XCTestCase {
    func testEveryCommandAndOptionInTheReadmeExists() throws {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let help = try HelpIndex()
        var named: [(command: String, option: String?, where: String)] = []

        var inBlock = false, section = "", pending = ""
        for (number, line) in readme.components(separatedBy: "\n").enumerated() {
            let place = "README.md:\(number + 1)"
            if line.hasPrefix("```") { inBlock.toggle(); pending = ""; continue }
            if inBlock {
                // A shell line continued with a backslash is one command.
                let joined = pending + line
                if line.hasSuffix("\\") { pending = String(joined.dropLast()) + " "; continue }
                pending = ""
                for (command, options) in Self.invocations(in: joined, known: help.commands) {
                    named.append((command, nil, place))
                    named += options.map { (command, $0, place) }
                }
                continue
            }
            if line.hasPrefix("#") { section = line; continue }
            let spans = Self.codeSpans(line)
            var rowCommand: String?
            if section == "## Commands", line.hasPrefix("| `"), let first = spans.first {
                let words = first.split(separator: " ").map(String.init)
                if words.first == "bench" {
                    // `bench train \| infer \| …`: every name is a bench command.
                    for name in first.replacingOccurrences(of: "\\|", with: " ").split(separator: " ").dropFirst() {
                        named.append(("bench " + name, nil, place))
                    }
                } else if let word = words.first {
                    rowCommand = word
                    named.append((word, nil, place))
                }
            }
            for span in spans {
                let found = Self.invocations(in: span, known: help.commands, atStart: true)
                if !found.isEmpty {
                    for (command, options) in found { named.append((command, nil, place)); named += options.map { (command, $0, place) } }
                } else if let rowCommand {
                    named += Self.options(in: span).map { (rowCommand, $0, place) }
                }
            }
            if let rowCommand {   // options written outside code spans in the row's text
                named += Self.options(in: Self.removingCodeSpans(line)).map { (rowCommand, $0, place) }
            }
        }

        XCTAssertGreaterThan(named.count, 60, "the README parser found too little; has the README's layout changed?")
        var failures: [String] = []
        for item in named {
            guard let options = try help.options(of: item.command) else {
                failures.append("\(item.where): `aedetect \(item.command)` is not a command")
                continue
            }
            if let option = item.option, !options.contains(option) {
                failures.append("\(item.where): `aedetect \(item.command)` has no option \(option)")
            }
        }
        XCTAssertTrue(failures.isEmpty, "\n" + Array(Set(failures)).sorted().joined(separator: "\n"))
    }

    /// The test's own parsing, on lines written like the README's.
    func testParsing() {
        let known: Set = ["fit", "score", "merge", "bench", "bench oneclass"]
        XCTAssertEqual(Self.invocations(in: "$B fit $M/train.gz --labels l.gz --normal-class 0 --preset conv", known: known).map(\.options),
                       [["--labels", "--normal-class", "--preset"]])
        let slurm = Self.invocations(in: "sbatch --dependency=afterok:1 --wrap \"aedetect merge runs/shard-* --out runs/merged\"", known: known)
        XCTAssertEqual(slurm.map(\.command), ["merge"])
        XCTAssertEqual(slurm.map(\.options), [["--out"]])
        XCTAssertEqual(Self.invocations(in: "aedetect bench oneclass --dataset mnist|fashion [--preset P]", known: known).map(\.command), ["bench oneclass"])
        XCTAssertEqual(Self.invocations(in: "merge_mode", known: known, atStart: true).count, 0)
        XCTAssertEqual(Self.codeSpans("a `fit --seed 1` and `--out` b"), ["fit --seed 1", "--out"])
    }

    // MARK: - Reading the README

    static func codeSpans(_ line: String) -> [String] {
        line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    static func removingCodeSpans(_ line: String) -> String {
        line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " ")
    }

    static func options(in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "(?<![\\w-])--[a-z][a-z0-9-]*")
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
            .filter { $0 != "--help" && $0 != "--version" }
    }

    /// `aedetect CMD [SUB] --options…` (or `$B CMD …`; with `atStart`, also a bare `CMD …` at
    /// the start of the text) and the options up to where the shell command ends.
    static func invocations(in text: String, known: Set<String>, atStart: Bool = false) -> [(command: String, options: [String])] {
        let prefix = atStart ? "^(?:(?:aedetect|\\$B)\\s+)?" : "(?:^|[\\s\"'(/])(?:aedetect|\\$B)\\s+"
        let regex = try! NSRegularExpression(pattern: prefix + "([a-z]+)(?:\\s+([a-z]+))?(?=\\s|$)")
        let ns = text as NSString
        var found: [(String, [String])] = []
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            var command = ns.substring(with: match.range(at: 1))
            guard known.contains(command) else { continue }
            if command == "bench", match.range(at: 2).location != NSNotFound {
                command += " " + ns.substring(with: match.range(at: 2))
            }
            var rest = ns.substring(from: match.range.location + match.range.length)
            for end in ["\"", ";", "&&", "`"] {
                if let r = rest.range(of: end) { rest = String(rest[..<r.lowerBound]) }
            }
            found.append((command, options(in: rest)))
        }
        return found
    }
}

/// The commands of the built binary and the options each one's `--help` lists.
private final class HelpIndex {
    let commands: Set<String>
    private var cache: [String: Set<String>?] = [:]

    init() throws {
        let top = try Self.subcommands(of: [])
        var all = Set(top)
        for command in top {
            for sub in try Self.subcommands(of: [command]) { all.insert(command + " " + sub) }
        }
        commands = all
        XCTAssertTrue(commands.isSuperset(of: ["fit", "score", "merge", "bench", "bench oneclass"]), "\(commands)")
    }

    /// The option names of a command, or nil when there is no such command.
    func options(of command: String) throws -> Set<String>? {
        if let cached = cache[command] { return cached }
        var result: Set<String>? = nil
        if commands.contains(command) {
            let r = try CLI.run(command.split(separator: " ").map(String.init) + ["--help"])
            XCTAssertEqual(r.status, 0, r.stderr)
            // Option lines: "  -m, --model <model>   …" or "  --force   …" or "  --flag/--no-flag".
            var names = Set<String>()
            for line in r.stdout.components(separatedBy: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("-") {
                let head = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ").first ?? ""
                names.formUnion(ReadmeOptionsTests.options(in: head))
            }
            result = names
        }
        cache[command] = result
        return result
    }

    private static func subcommands(of path: [String]) throws -> [String] {
        let r = try CLI.run(path + ["--help"])
        guard r.status == 0, let start = r.stdout.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: [String] = []
        for line in r.stdout[start.upperBound...].components(separatedBy: "\n") {
            if line.isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }   // deeper: a wrapped abstract
            if let name = line.split(separator: " ").first, name.allSatisfy({ $0.isLetter || $0 == "-" }) {
                names.append(String(name))
            }
        }
        return names.filter { $0 != "help" }
    }
}
