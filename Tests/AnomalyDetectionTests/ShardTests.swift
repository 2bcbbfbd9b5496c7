import DataIO
import NeuralNet
import Foundation
import XCTest
@testable import AnomalyDetection

final class ShardTests: XCTestCase {
    func testParsesKOverNAndTheSchedulersIndex() throws {
        XCTAssertEqual(try Shard(parsing: "2/4", environment: [:]), try Shard(index: 2, count: 4))
        XCTAssertEqual(try Shard(parsing: "auto/4", environment: ["JOB_COMPLETION_INDEX": "3"]).index, 3)
        XCTAssertEqual(try Shard(parsing: "auto/4", environment: ["SLURM_ARRAY_TASK_ID": "1"]).index, 1)
        // A Slurm array numbered 1-4 still gives shards 0…3.
        XCTAssertEqual(try Shard(parsing: "auto/4", environment: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1"]).index, 3)
        // Kubernetes wins when both are set (a Slurm job launching pods, say).
        XCTAssertEqual(try Shard(parsing: "auto/4", environment: ["JOB_COMPLETION_INDEX": "0", "SLURM_ARRAY_TASK_ID": "2"]).index, 0)
    }

    func testRefusesBadShardsWithAClearMessage() {
        for (text, needle) in [("4/4", "below N=4"), ("-1/4", "below N=4"), ("1/0", "at least 1"), ("1-4", "K/N or auto/N"), ("x/4", "K/N")] {
            XCTAssertThrowsError(try Shard(parsing: text, environment: [:]), text) { XCTAssertTrue("\($0)".contains(needle), "\(text): \($0)") }
        }
        XCTAssertThrowsError(try Shard(parsing: "auto/4", environment: [:])) {
            XCTAssertTrue("\($0)".contains("JOB_COMPLETION_INDEX") && "\($0)".contains("SLURM_ARRAY_TASK_ID"), "\($0)")
        }
    }

    func testKeysAreRelativeToTheInputArgument() {
        XCTAssertEqual(Shard.key(of: "/data/digits/3/00017.png", inputs: ["/data/digits"]), "3/00017.png")
        XCTAssertEqual(Shard.key(of: "/mnt/x/digits/3/00017.png", inputs: ["/mnt/x/digits/"]), "3/00017.png")
        XCTAssertEqual(Shard.key(of: "scan/a.png", inputs: ["scan/a.png"]), "a.png")
        XCTAssertEqual(Shard.key(of: "/d/t10k-images-idx3-ubyte.gz#5", inputs: ["/d/t10k-images-idx3-ubyte.gz"]), "t10k-images-idx3-ubyte.gz#5")
        // The longest matching argument wins; "digits2" is not under "digits".
        XCTAssertEqual(Shard.key(of: "d/sub/x.png", inputs: ["d", "d/sub"]), "x.png")
        XCTAssertEqual(Shard.key(of: "digits2/x.png", inputs: ["digits", "digits2"]), "x.png")
    }

    func testAssignmentIsTheDocumentedHash() {
        // fmix64(FNV-1a-64("3/00017.png")) = 0x93824712cd014aae (computed independently in Python): mod 4 = 2, mod 3 = 1.
        XCTAssertEqual(Shard.shard(ofKey: "3/00017.png", count: 4), 2)
        XCTAssertEqual(Shard.shard(ofKey: "3/00017.png", count: 3), 1)
        XCTAssertEqual(Shard.shard(ofKey: "a.png", count: 3), 0)
        // The same file under another mount point lands in the same shard.
        let shard = try! Shard(index: 1, count: 3)
        XCTAssertTrue(shard.contains(path: "/a/digits/3/00017.png", inputs: ["/a/digits"]))
        XCTAssertTrue(shard.contains(path: "/b/c/digits/3/00017.png", inputs: ["/b/c/digits"]))
    }

    /// Names that differ only in the high bits of characters (all of "aeimquyAEIMQUY159" end in the bits 01):
    /// plain FNV-1a mod 4 puts every one in the same shard; the rule must still spread them.
    func testSimilarNamesSpreadOverPowerOfTwoShards() {
        let chars = Array("aeimquyAEIMQUY159")
        let keys = chars.flatMap { a in chars.map { b in "img_\(a)\(b).png" } }
        XCTAssertEqual(Set(keys.map { FNV1a.hash($0) % 4 }).count, 1, "the weakness the finaliser is there for")
        let counts = Dictionary(grouping: keys) { Shard.shard(ofKey: $0, count: 4) }.mapValues(\.count)
        XCTAssertEqual(counts.count, 4)
        XCTAssertTrue(counts.values.allSatisfy { $0 > keys.count / 8 }, "\(counts)")
    }

    func testShardsPartitionTheInputsInOrderAndAddingFilesMovesNoOther() throws {
        let inputs = [Fixtures.digits, Fixtures.broken]
        let set = try InputSet(paths: inputs)
        let slices = try (0..<3).map { try Shard(index: $0, count: 3).positions(in: set, inputs: inputs) }
        XCTAssertEqual(slices.flatMap { $0 }.sorted(), Array(0..<set.count))
        for s in slices {
            XCTAssertEqual(s, s.sorted())
            XCTAssertGreaterThan(s.count, set.count / 5, "roughly even")
        }
        let restricted = set.restricted(to: slices[1])
        XCTAssertEqual(restricted.items.map { restricted.path(of: $0) }, slices[1].map { set.path(of: set.items[$0]) })

        // A copy of digits/3 with one more file: the old files keep their shards.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Fixtures.digits + "/3", toPath: dir.path)
        let before = try InputSet(paths: [dir.path])
        let assign = { (s: InputSet) in Dictionary(uniqueKeysWithValues: s.items.map { s.path(of: $0) }.map { ($0, Shard.shard(ofKey: Shard.key(of: $0, inputs: [dir.path]), count: 4)) }) }
        let old = assign(before)
        try FileManager.default.copyItem(atPath: dir.path + "/" + (try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()[0]),
                                         toPath: dir.path + "/0000-new.png")
        let new = assign(try InputSet(paths: [dir.path]))
        XCTAssertEqual(new.count, old.count + 1)
        for (path, shard) in old { XCTAssertEqual(new[path], shard, path) }
    }

    /// A file that disappears between the folder walk and decoding is an error record, not a crash.
    func testAFileVanishingAfterTheWalkBecomesAnErrorRecord() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Fixtures.digits + "/7", toPath: dir.path)
        let set = try InputSet(paths: [dir.path])
        let victim = set.path(of: set.items[4])
        try FileManager.default.removeItem(atPath: victim)
        let batch = set.load(0..<set.count, options: ImageLoadOptions(height: 28, width: 28, channels: 1))
        XCTAssertEqual(batch.loaded.count, set.count - 1)
        XCTAssertEqual(batch.failed.map(\.0), [4])
        XCTAssertFalse(batch.failed[0].1.isEmpty)
    }
}
