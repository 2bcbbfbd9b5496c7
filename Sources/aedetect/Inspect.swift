import ArgumentParser
import CommandSupport
import Foundation
import NeuralNet

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Keras-style summary of a preset, an architecture file or a saved model.",
        discussion: "For a saved model it also prints the training history and the metadata it carries.")

    @OptionGroup var architectureOptions: ArchitectureOptions
    var preset: String? { architectureOptions.preset }
    var arch: String? { architectureOptions.arch }

    @Option(help: "A saved model file (.safetensors).")
    var model: String?

    @Flag(help: "Also list every stored tensor as JSON lines (name, shape, sum, first values).")
    var tensors = false

    func validate() throws {
        guard [preset, arch, model].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --preset, --arch or --model")
        }
    }

    func run() throws {
        try reportingErrors(summarise)
    }

    private func summarise() throws {
        if let preset {
            printSummary(ModelSummary(try Sequential(architecture: Presets.named(preset), seed: 0)))
        } else if let arch {
            let a = try Architecture.load(contentsOf: URL(fileURLWithPath: arch))
            printSummary(ModelSummary(try Sequential(architecture: a, seed: 0)))
        } else if let model {
            let loaded = try ModelFile.load(from: URL(fileURLWithPath: model))
            printSummary(ModelSummary(loaded.model))
            print(HistoryText(loaded.history).text)
            for key in loaded.extra.keys.sorted() { print("\(key): \(loaded.extra[key]!)") }
            if tensors { printTensors(loaded.model) }
        }
    }

    private func printSummary(_ summary: ModelSummary) {
        print(summary.text)
        if !summary.kernelsText.isEmpty { print(summary.kernelsText) }
    }

    private func printTensors(_ model: Sequential) {
        for (name, p) in model.namedParameters {
            let values = p.value.array
            let sum = values.reduce(0.0) { $0 + Double($1) }
            let line: [String: Any] = ["name": name, "shape": p.value.shape, "sum": sum, "first": Array(values.prefix(3)).map(Double.init)]
            print(String(decoding: try! JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
        }
    }
}

/// The training history as a short table.
struct HistoryText {
    let history: TrainingHistory
    init(_ h: TrainingHistory) { history = h }

    var text: String {
        guard !history.loss.isEmpty else { return "Training: none recorded" }
        var lines = ["Training: \(history.loss.count) epochs" + (history.stoppedEarly ? " (stopped early)" : "")
                     + (history.keptEpoch.map { ", weights from epoch \($0 + 1)" } ?? "")]
        lines.append("epoch      loss  val_loss   seconds")
        for (i, l) in history.loss.enumerated() {
            let v = i < history.validationLoss.count ? String(format: "%9.5f", history.validationLoss[i]) : "        -"
            let s = i < history.epochSeconds.count ? String(format: "%9.2f", history.epochSeconds[i]) : ""
            lines.append(String(format: "%5d %9.5f ", i + 1, l) + v + " " + s)
        }
        return lines.joined(separator: "\n")
    }
}
