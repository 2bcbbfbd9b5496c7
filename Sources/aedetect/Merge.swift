import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import Reporting

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the run folders of `score --shard K/N` runs into one run folder.",
        discussion: """
        The merged scores.csv lists every input once, in the order of the whole input list; outliers.csv \
        is ranked over all shards; summary.json, the report and the grids describe the whole run (a merged run has no maps/). Outliers \
        chosen by --fdr (at scoring, or here) are chosen again over the merged set, as Benjamini–Hochberg \
        requires. Refused, with the folder named (exit status 65): a shard folder that is incomplete \
        (.incomplete present, or no summary.json), shards scored with different models or thresholds, and \
        missing or repeated shards.
        """)

    @Argument(help: "Run folders written by `aedetect score --shard K/N`, one per shard.")
    var shards: [String]

    @Option(name: .shortAndLong, help: "Run folder to write.")
    var out: String

    @OptionGroup var forceOption: ForceOption
    var force: Bool { forceOption.force }

    @Option(help: "Choose outliers by Benjamini–Hochberg at this false-discovery rate over the merged set (default: as the shards did).")
    var fdr: Double?

    @Option(help: "How many top outliers to show as reconstruction grids (at most the shards' --top).")
    var top = 16

    func validate() throws {
        if let fdr, !(fdr > 0 && fdr < 1) { throw ValidationError("--fdr must be between 0 and 1") }
        if top < 0 { throw ValidationError("--top must be at least 0") }
    }

    func run() throws {
        try reportingErrors {
            let loaded = try ShardMerge.load(shards.map { URL(fileURLWithPath: $0) })
            let report = try ShardMerge.report(loaded, fdr: fdr, top: top)
            try RunFolder.write(report, to: URL(fileURLWithPath: out), force: force)
            print("merged \(loaded.count) shards: \(report.verdicts.count) inputs, \(report.verdicts.scoredCount) scored, \(report.failed.count) unreadable, \(report.outliers.count) outliers")
            print("report: \(out)/report.html")
        }
    }
}
