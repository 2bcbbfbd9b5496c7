import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import NeuralNet
import Reporting

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The README's main job: fit on one digit of the committed fixtures, score mixed digits with planted anomalies.",
        discussion: """
        Fits the conv preset on the 3s of fixtures/mnist (250 images, 10% held out for calibration), then \
        scores fixtures/digits (80 threes, 90 other digits, 18 planted non-digits) and fixtures/broken (ten \
        unreadable files, to show how they are reported), and writes reports/demo/ (model and run folder). \
        The demo replaces its own earlier output in reports/demo/. Batches of 25 unless --batch-size \
        (the preset's 300 would be one step per epoch on 225 training images).
        """)

    @Option(help: "The fixtures folder.")
    var fixtures = "fixtures"

    @Option(help: "Where to write the model and the run folder.")
    var out = "reports/demo"

    @Option(help: "Training epochs.")
    var epochs = 40

    @OptionGroup var batchSizeOption: BatchSizeOption
    /// 25 by default: the preset's 300 would be one step per epoch on 225 training images.
    var batchSize: Int { batchSizeOption.batchSize ?? 25 }

    @Option(help: "Threshold method (250 threes leave 25 for calibration, enough for quantile:0.95 but not 0.99).")
    var threshold = "quantile:0.95"

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    func run() throws {
        try reportingErrors {
            let architecture = Presets.conv
            let preprocessing = try Preprocessing(for: architecture)
            let normal = try NormalSamples.load("\(fixtures)/mnist/train-images-idx3-ubyte.gz",
                                                labels: "\(fixtures)/mnist/train-labels-idx1-ubyte.gz",
                                                normalClass: "3", preprocessing: preprocessing)
            var training = TrainingOptions(for: architecture, epochs: epochs, seed: 1)
            training.batchSize = batchSize
            var job = DetectorFit(architecture: architecture, training: training, preprocessing: preprocessing)
            job.threshold = try ThresholdMethod(parsing: threshold)
            job.provenance = ["input": "\(fixtures)/mnist/train-images-idx3-ubyte.gz", "normal_class": "3",
                              "architecture": architecture.name, "date": ISO8601DateFormatter().string(from: Date())]
            if !quiet { note("demo: fitting the conv preset on \(normal.count) images of the digit 3") }
            let bar = ProgressBar(quiet: quiet, batchSize: batchSize)
            let (detector, _) = try job.run(images: normal.images, count: normal.count, progress: bar.handle)
            try detector.save(to: URL(fileURLWithPath: "\(out)/model.safetensors"), overwrite: true)
            bar.finish("demo: model written")

            let inputs = ["\(fixtures)/digits", "\(fixtures)/broken"]
            let set = try InputSet(paths: inputs, labelsFromSubfolders: true)
            let verdicts = Scorer(detector: detector).verdicts(set)
            let records = Array(verdicts)
            let evaluation = LabelledEvaluation(records: records, normalClass: "3")
            let shown = ExamplePicker.pick(verdicts, inputs: set, detector: detector, top: 16)
            let context = RunReport.Context(command: "demo", modelPath: "\(out)/model.safetensors", architecture: architecture.name,
                                            parameterCount: detector.model.parameterCount, inputs: inputs,
                                            toolVersion: ToolVersion.string)
            let report = RunReport(context: context, calibration: detector.calibration, history: detector.history,
                                   verdicts: verdicts, topOutliers: shown.outliers, typicalInliers: shown.inliers,
                                   evaluation: RunReport.Evaluation(evaluation))
            let runFolder = "\(out)/run"
            try RunFolder.write(report, to: URL(fileURLWithPath: runFolder), force: true)
            print(DemoSummary(records: records).text)
            print(EvaluationText(evaluation).text)
            print("report: \(runFolder)/report.html  (also report.md, scores.csv, outliers.csv, summary.json)")
        }
    }
}

/// What the demo found, in words.
struct DemoSummary {
    let records: [ScoreRecord]

    var text: String {
        func count(_ f: (ScoreRecord) -> Bool) -> Int { records.filter(f).count }
        let planted = count { $0.label == "anomalies" }, plantedFound = count { $0.label == "anomalies" && $0.outlier }
        let threes = count { $0.label == "3" }, threesFlagged = count { $0.label == "3" && $0.outlier }
        let others = count { $0.label != nil && $0.label != "3" && $0.label != "anomalies" }
        let othersFlagged = count { $0.label != nil && $0.label != "3" && $0.label != "anomalies" && $0.outlier }
        return """
        \(records.count) inputs: \(count { $0.status == .ok }) scored, \(count { $0.status == .error }) unreadable (each with its reason in scores.csv)
        planted anomalies flagged: \(plantedFound) of \(planted)
        other digits flagged:      \(othersFlagged) of \(others)
        threes flagged (false alarms): \(threesFlagged) of \(threes)
        """
    }
}
