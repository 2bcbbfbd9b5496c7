import AnomalyDetection
import ArgumentParser
import CommandSupport
import Classification
import Foundation
import NeuralNet

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify images with a classifier written by `aedetect finetune`.",
        discussion: """
        Writes DIR/predictions.csv (every input: path, status, label, probability, message, one p_<class> column \
        per class; unreadable inputs with their reason), summary.json, report.md and report.html. When the \
        classes are known (--labels for an IDX input, or class sub-folders of a folder input) it also reports \
        the accuracy (summary.json: evaluation.accuracy), per-class precision and recall and the confusion matrix.
        """)

    @Option(name: .shortAndLong, help: "Classifier file written by `aedetect finetune`.")
    var model: String

    @Argument(help: "Folders of PNG and JPEG images, image files or IDX image files.")
    var inputs: [String]

    @Option(help: "IDX labels file for a single IDX input (the true classes, for evaluation).")
    var labels: String?

    @Option(name: .shortAndLong, help: "Run folder to write.")
    var out = "classified"

    @OptionGroup var threadsOption: ThreadsOption

    @OptionGroup var quietOption: QuietOption

    @OptionGroup var forceOption: ForceOption

    func run() throws {
        try reportingErrors {
            threadsOption.apply()
            let classifier = try Classifier.load(from: URL(fileURLWithPath: model))
            classifier.model.parallelism = threadsOption.parallelism
            let set = try InputSet(paths: inputs, labelsFile: labels, labelsFromSubfolders: labels == nil)
            let run = ClassificationRun.run(classifier, inputs: set) { done, total in
                if !quietOption.quiet && total > 1000 { note("classified \(done)/\(total)") }
            }
            let report = ClassificationReport(run: run, modelPath: model, inputs: inputs, info: classifier.info)
            try report.write(to: URL(fileURLWithPath: out), force: forceOption.force)
            print(report.headline)
            if !run.unknownLabels.isEmpty {
                print("not evaluated: classes the classifier does not know: \(run.unknownLabels.sorted().joined(separator: ", "))")
            }
            print("report: \(out)/report.html")
        }
    }
}
