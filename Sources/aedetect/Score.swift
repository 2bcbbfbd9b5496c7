import AnomalyDetection
import ArgumentParser
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

    @Argument(help: "PNG folders, PNG files or IDX image files.")
    var inputs: [String]

    @Flag(help: "Exit with status 1 when any outlier is found (for pipelines).")
    var failOnOutliers = false

    func run() throws {
        var outliers = 0
        try reportingErrors {
            let detector = try options.loadDetector()
            let set = try InputSet(paths: inputs)
            let records = options.score(set, with: detector)
            let shown = ExamplePicker.pick(records: records, inputs: set, detector: detector, top: options.top)
            let report = RunReport(context: options.context(command: "score", detector: detector, inputs: inputs),
                                   calibration: detector.calibration, history: detector.history, records: records,
                                   topOutliers: shown.outliers, typicalInliers: shown.inliers)
            try options.write(report)
            outliers = records.filter(\.outlier).count
        }
        if failOnOutliers && outliers > 0 { throw ExitCode(ExitStatus.outliersFound) }
    }
}
