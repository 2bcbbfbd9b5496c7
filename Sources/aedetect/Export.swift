import AnomalyDetection
import ArgumentParser
import AtomicFiles
import Classification
import CommandSupport
import Foundation
import ONNXExport

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a fitted model, with its whole anomaly score, as a file another runtime can run.",
        discussion: """
        --format onnx: one ONNX graph (opset 17, standard operators only) with input `input` (float32, the \
        model's input shape with a free batch axis: images scaled to [0, 1] as aedetect feeds the network; the \
        whole image for the tiled detector, whose tiling and stitching are in the graph) and outputs \
        `reconstruction` and `score` (float64, the number scores.csv reports: blur, SSIM, latent, zmap and \
        standardisation terms included). The threshold (an input is an outlier when score > threshold), the \
        calibration scores and the preprocessing are in the model's metadata (keys aedetect.*). A model whose \
        score the graph cannot reproduce exactly is refused with the reason, and nothing is written.
        """)

    @Option(name: .shortAndLong, help: "Model file written by `aedetect fit` (a detector) or `aedetect finetune` (a classifier: output `probabilities`).")
    var model: String

    @Option(help: "Output format: onnx.")
    var format: String

    @Option(name: .shortAndLong, help: "Output file (e.g. model.onnx); refused if it exists, unless --force.")
    var out: String

    @OptionGroup var forceOption: ForceOption
    var force: Bool { forceOption.force }

    func validate() throws {
        guard format == "onnx" else { throw ValidationError("--format: unknown format \"\(format)\" (use onnx)") }
    }

    func run() throws {
        try reportingErrors {
            let url = URL(fileURLWithPath: model)
            if try ONNXExporter.isClassifier(url) {
                let classifier = try Classifier.load(from: url)
                let data = try ONNXExporter.serialized(classifier, producerVersion: ToolVersion.string)
                try AtomicFile.write(data, to: URL(fileURLWithPath: out), force: force)
                print("wrote \(out): classifier \(classifier.model.architecture.name), \(classifier.classes.count) classes (\(data.count) bytes)")
                return
            }
            let detector = try Detector.load(from: url)
            let data = try ONNXExporter.serialized(detector, producerVersion: ToolVersion.string)
            try AtomicFile.write(data, to: URL(fileURLWithPath: out), force: force)
            print("wrote \(out): \(detector.model.architecture.name), score \(detector.scoring), threshold \(String(format: "%.6g", detector.calibration.threshold)) (\(data.count) bytes)")
        }
    }
}
