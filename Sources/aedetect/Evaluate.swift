import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import Reporting

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score labelled inputs and measure detection: ROC AUC, PR AUC, precision, recall, F1, confusion.",
        discussion: """
        The truth comes from --labels (for an IDX input) or from sub-folder names (for an image folder). \
        Anomalies are the samples whose class is not --normal-class (default: the class the model was fitted on). \
        Writes the same run folder as `score`, with ROC/PR curves and a per-class table.
        """)

    @OptionGroup var options: RunOptions

    @Argument(help: "An IDX image file (with --labels) or a folder of PNG or JPEG images with one sub-folder per class.")
    var input: String

    @Option(help: "IDX labels file for an IDX input.")
    var labels: String?

    @Option(help: "The normal class (default: the one recorded at fit time).")
    var normalClass: String?

    @Option(help: "Ground-truth masks laid out like INPUT (same relative paths; non-zero = defect; no mask = defect-free): adds pixel ROC AUC and PRO AUC.")
    var masks: String?

    func run() throws {
        try reportingErrors {
            let detector = try options.loadDetector()
            guard let normal = normalClass ?? detector.provenance["normal_class"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw ValidationError("the model records no normal class; give --normal-class")
            }
            let set = try InputSet(paths: [input], labelsFile: labels, labelsFromSubfolders: labels == nil)
            let verdicts = options.score(set, with: detector)
            let evaluation = LabelledEvaluation(records: Array(verdicts), normalClass: normal)
            guard evaluation.roc.auc != nil else {
                throw DetectorError.input("\(input): evaluation needs both normal (\(normal)) and other classes among the readable inputs")
            }
            let shown = options.examples(verdicts, inputs: set, detector: detector)
            var reported = RunReport.Evaluation(evaluation)
            if let masks {
                let folder = try MaskFolder(root: masks)
                var pixel = PixelEvaluation.measure(detector, inputs: set, root: input, masks: folder) { note("no pixel metrics for \($0): \($1)") }
                reported.pixel = pixel.result
            }
            let report = RunReport(context: options.context(command: "evaluate", detector: detector, inputs: [input]),
                                   calibration: detector.calibration, history: detector.history, verdicts: verdicts,
                                   topOutliers: shown.outliers, typicalInliers: shown.inliers, evaluation: reported)
            try options.write(report, inputs: set, arguments: [input], detector: detector)
            print(EvaluationText(evaluation).text)
            if let p = reported.pixel {
                print(String(format: "pixel ROC AUC %.4f   PRO AUC %.4f (%d defect regions)", p.rocAUC ?? .nan, p.proAUC ?? .nan, p.regions))
            }
        }
    }
}

/// Headline metrics for the terminal.
struct EvaluationText {
    let e: LabelledEvaluation
    init(_ e: LabelledEvaluation) { self.e = e }

    var text: String {
        let c = e.confusion
        return [String(format: "ROC AUC %.4f   PR AUC (average precision) %.4f", e.roc.auc ?? .nan, e.precisionRecall.averagePrecision ?? .nan),
                String(format: "at the threshold: precision %.4f  recall %.4f  F1 %.4f  false-positive rate %.4f",
                       c.precision, c.recall, c.f1, c.falsePositiveRate),
                "confusion: TP \(c.truePositives)  FP \(c.falsePositives)  TN \(c.trueNegatives)  FN \(c.falseNegatives)"]
            .joined(separator: "\n")
    }
}
