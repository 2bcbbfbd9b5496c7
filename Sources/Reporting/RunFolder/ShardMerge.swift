import AnomalyDetection
import Foundation

/// Joins the run folders of the shards of one scoring run into one run: the records in the order
/// of the whole input list, outliers chosen again over the union when they were chosen by
/// false-discovery rate (Benjamini–Hochberg needs every p-value at once), and the report's images
/// from the pixels each shard kept. Refuses, naming the folder, anything that would give a wrong
/// merge: an unfinished shard, shards of another model or threshold, missing or repeated shards.
public enum ShardMerge {
    public struct Shard {
        public let folder: URL
        public let manifest: ShardManifest
    }

    /// Reads and checks the shard folders; the result covers every shard exactly once, in shard order.
    public static func load(_ folders: [URL]) throws -> [Shard] {
        guard !folders.isEmpty else { throw MergeError("no shard folders given") }
        let shards = try folders.map(loadOne).sorted { $0.manifest.index < $1.manifest.index }
        try checkSameRun(shards)
        try checkCoverage(shards)
        return shards
    }

    static func loadOne(_ folder: URL) throws -> Shard {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw MergeError("\(folder.path): no such folder")
        }
        if fm.fileExists(atPath: folder.appendingPathComponent(RunFiles.incompleteMarker).path) {
            throw MergeError("\(folder.path): the shard run is incomplete (\(RunFiles.incompleteMarker) is present: it was interrupted or is still running); rerun its `aedetect score --shard …` command into the same folder to complete it")
        }
        guard RunFolder.isComplete(folder) else {
            throw MergeError("\(folder.path): no \(RunFiles.summary), so not a finished run folder")
        }
        guard fm.fileExists(atPath: folder.appendingPathComponent(ShardManifest.fileName).path) else {
            throw MergeError("\(folder.path): not a shard (no \(ShardManifest.fileName)); it was scored without --shard")
        }
        do { return Shard(folder: folder, manifest: try ShardManifest.read(from: folder)) } catch {
            throw MergeError("\(folder.path)/\(ShardManifest.fileName): unreadable: \(error)")
        }
    }

    static func checkSameRun(_ shards: [Shard]) throws {
        let first = shards[0], a = first.manifest
        for s in shards.dropFirst() {
            let b = s.manifest
            let pair = "\(first.folder.path) and \(s.folder.path)"
            if a.calibration.threshold != b.calibration.threshold || a.calibration.method != b.calibration.method {
                throw MergeError("\(pair) were scored with different thresholds (\(a.calibration.threshold) \(a.calibration.method), \(b.calibration.threshold) \(b.calibration.method)); refusing to merge")
            }
            if a.modelFingerprint != b.modelFingerprint {
                throw MergeError("\(pair) were scored with different models (fingerprints \(a.modelFingerprint) of \(a.modelPath), \(b.modelFingerprint) of \(b.modelPath)); refusing to merge")
            }
            if a.count != b.count { throw MergeError("\(pair) come from different splits: shard \(a.shardName) and shard \(b.shardName)") }
            if a.inputs != b.inputs || a.rule != b.rule {
                throw MergeError("\(pair) scored different inputs (\(a.inputs.joined(separator: " ")) vs \(b.inputs.joined(separator: " ")))")
            }
            if a.totalInputs != b.totalInputs {
                throw MergeError("\(pair) saw different input lists (\(a.totalInputs) and \(b.totalInputs) inputs): files were added or removed between the shard runs; rerun the shards")
            }
        }
    }

    static func checkCoverage(_ shards: [Shard]) throws {
        let n = shards[0].manifest.count
        var byIndex: [Int: URL] = [:]
        for s in shards {
            if let other = byIndex[s.manifest.index] {
                throw MergeError("shard \(s.manifest.shardName) is given twice: \(other.path) and \(s.folder.path)")
            }
            byIndex[s.manifest.index] = s.folder
        }
        let missing = (0..<n).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw MergeError("missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) (have \(byIndex.keys.sorted().map { "\($0)/\(n)" }.joined(separator: ", ")))")
        }
        var seen = [Bool](repeating: false, count: shards[0].manifest.totalInputs)
        for s in shards {
            for p in s.manifest.positions {
                guard seen.indices.contains(p), !seen[p] else {
                    throw MergeError("\(s.folder.path): input position \(p) is out of range or also in another shard; the shards saw different input lists")
                }
                seen[p] = true
            }
        }
        if let hole = seen.firstIndex(of: false) {
            throw MergeError("input position \(hole) is in no shard; the shards saw different input lists")
        }
    }

    /// Every shard's records placed at their positions in the whole input list.
    public static func records(_ shards: [Shard]) throws -> [ScoreRecord] {
        var all = [ScoreRecord?](repeating: nil, count: shards[0].manifest.totalInputs)
        for s in shards {
            let file = s.folder.appendingPathComponent(RunFiles.scores)
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch { throw MergeError("\(file.path): unreadable: \(error.localizedDescription)") }
            let rows = try ScoresTable.records(fromCSV: text, file: file.path)
            let m = s.manifest
            guard rows.count == m.positions.count else {
                throw MergeError("\(file.path) has \(rows.count) rows, its \(ShardManifest.fileName) lists \(m.positions.count) inputs")
            }
            let shard = try AnomalyDetection.Shard(index: m.index, count: m.count)
            for (row, position) in zip(rows, m.positions) {
                guard shard.contains(path: row.path, inputs: m.inputs) else {
                    throw MergeError("\(file.path): \(row.path) does not belong to shard \(m.shardName); the folder was altered")
                }
                all[position] = row
            }
        }
        return all.map { $0! }
    }

    /// The merged run. `fdr` overrides the shards' selection; without it the shards' own is kept
    /// (false-discovery selection is then made again over the union).
    public static func report(_ shards: [Shard], fdr: Double?, top: Int, inliers: Int = 6, date: Date = Date()) throws -> RunReport {
        let m = shards[0].manifest
        if fdr == nil, let other = shards.first(where: { $0.manifest.selection != m.selection || $0.manifest.fdrLevel != m.fdrLevel }) {
            throw MergeError("\(shards[0].folder.path) and \(other.folder.path) chose outliers differently (\(m.selection) and \(other.manifest.selection)); give --fdr to choose again over the merged set")
        }
        var records = try records(shards)
        let level = fdr ?? (m.selection == OutlierSelection.falseDiscoveryRate(0).name ? m.fdrLevel : nil)
        if let level { OutlierSelection.falseDiscoveryRate(level).apply(to: &records, calibration: m.calibration) }
        let context = RunReport.Context(command: "merge", modelPath: m.modelPath, architecture: m.architecture,
                                        parameterCount: m.parameterCount, inputs: m.inputs, date: date, toolVersion: m.toolVersion,
                                        selection: level == nil ? OutlierSelection.threshold.name : OutlierSelection.falseDiscoveryRate(0).name,
                                        fdrLevel: level, shard: nil, modelFingerprint: m.modelFingerprint)
        var report = RunReport(context: context, calibration: m.calibration, history: m.history, records: records)
        let examples = Dictionary(shards.flatMap(\.manifest.examples).compactMap { s in s.example.map { (s.path, $0) } },
                                  uniquingKeysWith: { a, _ in a })
        report.topOutliers = report.outliers.prefix(top).compactMap { examples[$0.path] }
        report.typicalInliers = typical(records, examples: examples, count: inliers)
        return report
    }

    /// The kept inlier images whose scores are nearest the median inlier score of the merged run.
    static func typical(_ records: [ScoreRecord], examples: [String: RunReport.Example], count: Int) -> [RunReport.Example] {
        let normal = records.filter { $0.status == .ok && !$0.outlier }.compactMap(\.score).sorted()
        guard !normal.isEmpty else { return [] }
        let median = normal[normal.count / 2]
        let candidates = records.filter { $0.status == .ok && !$0.outlier }.compactMap { examples[$0.path] }
        return Array(candidates.sorted { abs($0.score - median) < abs($1.score - median) }.prefix(count)).sorted { $0.score < $1.score }
    }
}

public struct MergeError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
