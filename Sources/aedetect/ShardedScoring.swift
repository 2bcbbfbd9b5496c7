import AtomicFiles
import AnomalyDetection
import ArgumentParser
import Foundation
import Reporting

/// The part of `score` that deals with `--shard`: which inputs this shard scores, and the
/// shard.json a later `merge` needs.
struct ShardedScoring {
    let shard: Shard
    let inputs: [String]
    let all: InputSet
    let positions: [Int]

    /// Nil without --shard. A malformed --shard, or auto/N outside a scheduler, is a usage error.
    static func from(option: String?, inputs: [String], all: InputSet) throws -> ShardedScoring? {
        guard let option else { return nil }
        let shard: Shard
        do { shard = try Shard(parsing: option, environment: ProcessInfo.processInfo.environment) } catch {
            throw ValidationError("\(error)")
        }
        return ShardedScoring(shard: shard, inputs: inputs, all: all, positions: shard.positions(in: all, inputs: inputs))
    }

    var set: InputSet { all.restricted(to: positions) }

    func manifest(records: [ScoreRecord], set: InputSet, detector: Detector, context: RunReport.Context,
                  top: Int, inliers: [RunReport.Example]) -> ShardManifest {
        ShardManifest(shard: shard, inputs: inputs, totalInputs: all.count, positions: positions, detector: detector,
                      context: context,
                      examples: StoredExample.forShard(records: records, inputs: set, detector: detector, top: top, inliers: inliers))
    }

    /// Writes shard.json into the run folder (before the rest, which completes the folder), or
    /// removes a stale one when the run is not sharded.
    static func writeManifest(_ manifest: ShardManifest?, to out: URL) throws {
        let url = out.appendingPathComponent(ShardManifest.fileName)
        guard let manifest else { try? FileManager.default.removeItem(at: url); return }
        try AtomicFile.write(manifest.data(), to: url, force: true)
    }
}
