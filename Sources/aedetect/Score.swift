import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import Reporting

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score inputs with a fitted model and write a run folder with the outlier list and report.",
        discussion: """
        Every input is accounted for in scores.csv: scored, or with the reason it could not be read. \
        Exit status 0 on success, 1 with --fail-on-outliers when an outlier was found, 65 when the model or \
        inputs are unusable, 73 when --out holds a complete run and --force is not given, 74 when it cannot be written.
        """)

    @OptionGroup var options: RunOptions

    @Argument(help: "Folders of PNG and JPEG images, image files or IDX image files.")
    var inputs: [String]

    @Flag(help: "Exit with status 1 when any outlier is found (for pipelines).")
    var failOnOutliers = false

    @Option(help: ArgumentHelp("Score only shard K of N (K from 0), a stable slice of the inputs; join the shards with `aedetect merge`.",
                               discussion: "auto/N takes K from JOB_COMPLETION_INDEX (Kubernetes indexed Job) or SLURM_ARRAY_TASK_ID (Slurm job array).",
                               valueName: "K/N"))
    var shard: String?

    func run() throws {
        var outliers = 0
        try reportingErrors {
            let modelFile = try FileIdentity(options.model)
            let detector = try options.loadDetector()
            try modelFile.verifyUnchanged(while: "it was being read")
            let all = try InputSet(paths: inputs)
            let sharding = try ShardedScoring.from(option: shard, inputs: inputs, all: all)
            let set = sharding?.set ?? all
            let out = URL(fileURLWithPath: options.out)
            try RunFolder.begin(out, command: "score", force: options.force)   // marked incomplete until written
            let verdicts = options.score(set, with: detector)
            let shown = options.examples(verdicts, inputs: set, detector: detector)
            var context = options.context(command: "score", detector: detector, inputs: inputs)
            context.shard = sharding?.shard.description
            context.modelFingerprint = detector.fingerprint
            let report = RunReport(context: context,
                                   calibration: detector.calibration, history: detector.history, verdicts: verdicts,
                                   topOutliers: shown.outliers, typicalInliers: shown.inliers)
            let manifest = sharding?.manifest(records: Array(verdicts), set: set, detector: detector, context: context,
                                              top: options.top, inliers: shown.inliers)
            try modelFile.verifyUnchanged(while: "scoring")
            try ShardedScoring.writeManifest(manifest, to: out)
            try options.write(report, inputs: set, arguments: inputs, detector: detector)
            outliers = verdicts.outliers.count
        }
        if failOnOutliers && outliers > 0 { throw ExitCode(ExitStatus.outliersFound) }
    }
}
