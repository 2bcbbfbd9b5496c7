import ArgumentParser
import Classification
import CommandSupport
import DataIO
import Foundation
import NeuralNet

/// `aedetect bench pretrain`: pretrained against fresh weights with few labels; writes its
/// sections of reports/quality.md.
struct BenchPretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretraining benchmark: classifiers from an autoencoder's encoder vs fresh weights, with 100 and 1,000 labels.",
        discussion: """
        For each encoder preset, fits the autoencoder on all training images (no labels; cached under --work), \
        then for each label count draws --subsets labelled subsets (equal per class) from the first 50,000 \
        training images and runs `finetune`'s recipe from the encoder and from fresh weights (--scratch). Each \
        one's learning rate is chosen among --lrs on the first subset by the accuracy on the last 10,000 \
        training images (labelled, never trained on with their labels); the test set gives the reported accuracy.
        """)

    @Option(help: "mnist or fashion.")
    var dataset = "mnist"

    @Option(help: "Folder with train-/t10k- images and labels IDX files (default: the dataset's usual place).")
    var data: String?

    @Option(help: "Encoder presets, comma-separated (those with an encoder layer: dense, conv, detector).")
    var encoders = "dense,conv,detector"

    @Option(help: "Label counts, comma-separated.")
    var labels = "100,1000"

    @Option(help: "Labelled subsets per label count.")
    var subsets = 3

    @Option(help: "Learning rates to choose from, comma-separated.")
    var lrs = "0.001,0.003"

    @Option(help: "Autoencoder training epochs.")
    var epochs = Presets.defaultEpochs

    @Option(help: "Denoising σ for fitting the autoencoders (0: none).")
    var noise: Float = BenchPretrain.defaultNoise

    @Option(help: "Learning rate of the autoencoders' fit (default: the recipe's, \(BenchPretrain.defaultAutoencoderRate)).")
    var aeLr: Float = BenchPretrain.defaultAutoencoderRate

    @Option(help: "Self-training rounds (default: the recipe's).")
    var rounds: Int?

    @Option(help: "Screening: the pretrained encoder's learning rate relative to the head's in the first stage.")
    var encoderRate: Float?

    @Option(help: "Screening: steps of the first stage.")
    var steps: Int?

    @Option(help: "Screening: weight decay of the head in the first stage.")
    var weightDecay: Float?

    @Option(help: "Screening: random shifts of the labelled images, in pixels.")
    var shift: Int?

    @Option(help: "Screening: pseudo-labels per class in each round, comma-separated (the last for later rounds).")
    var pseudo: String?

    @Option(help: "Screening: weight of the consistency loss on the unlabelled images (0: none).")
    var consistency: Float?

    @Option(help: "Screening: keep the last stage when the held-out slice has fewer samples than this.")
    var keepLastBelow: Int?

    @Option(help: "Screening: neighbours of the label-propagation graph for the pseudo-labels (0: the classifier's own).")
    var neighbours: Int?

    @Option(help: "Screening: the propagation graph from the encoder's code at each round (current) or before training (start).")
    var graph: String?

    @Option(help: "Screening: share of the classifier's probabilities mixed into the propagated ones.")
    var mix: Float?

    @Option(help: "Screening: α of the label propagation.")
    var alpha: Float?

    @Option(help: "Screening: which arms to run: both, pretrained or scratch.")
    var arms = "both"

    @Flag(help: "Screening: print the validation accuracy after every stage.")
    var trace = false

    @Flag(help: "Screening: validation accuracy only; the test set is not evaluated and no report is written.")
    var validationOnly = false

    @Option(help: "Folder for the fitted autoencoders (reused when present).")
    var work = ".build/bench-pretrain"

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Markdown report to update (its section for each dataset and encoder is replaced).")
    var report = "reports/quality.md"

    @Flag(help: "Print the results only; write no report.")
    var noReport = false

    @Option(help: "Threads for OpenBLAS.")
    var threads = 2

    @Flag(help: "No progress output.")
    var quiet = false

    static let defaultNoise: Float = 0.3
    static let defaultAutoencoderRate: Float = 0.001

    func list<T>(_ s: String, _ f: (String) -> T?) throws -> [T] {
        let parts = s.split(separator: ",").map { f($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw ValidationError("cannot read the list \(s)") }
        return parts.map { $0! }
    }

    func validate() throws {
        guard ["mnist", "fashion"].contains(dataset) else { throw ValidationError("--dataset must be mnist or fashion") }
        _ = try list(labels, { Int($0) })
        _ = try list(lrs, { Float($0) })
        for e in try list(encoders, { $0 }) where (try? Presets.named(e))?.encoderLayer == nil {
            throw ValidationError("--encoders: \(e) is not a preset with an encoder layer")
        }
        if let graph, !["current", "start"].contains(graph) { throw ValidationError("--graph must be current or start") }
        if subsets < 1 { throw ValidationError("--subsets must be at least 1") }
    }

    var dataFolder: String {
        data ?? (dataset == "mnist" ? "../shared/data/mnist" : "/usr/share/datasets/fashion-mnist")
    }

    func run() throws {
        try reportingErrors {
            BLASThreads.set(threads)
            let dir = dataFolder
            let train = try Dataset.loadIDX(images: dir + "/train-images-idx3-ubyte.gz", labels: dir + "/train-labels-idx1-ubyte.gz")
            let test = try Dataset.loadIDX(images: dir + "/t10k-images-idx3-ubyte.gz", labels: dir + "/t10k-labels-idx1-ubyte.gz")
            var bench = PretrainBenchmark()
            bench.labelCounts = try list(labels, { Int($0) })
            bench.subsets = subsets
            bench.learningRates = try list(lrs, { Float($0) })
            bench.seed = seed
            let (rounds, steps, weightDecay, encoderRate, shift) = (rounds, steps, weightDecay, encoderRate, shift)
            let (consistency, keepLastBelow) = (consistency, keepLastBelow)
            let (neighbours, graph, mix, alpha) = (neighbours, graph, mix, alpha)
            let pseudo = try pseudo.map { try list($0, { Int($0) }) }
            bench.adjust = { o in
                if let shift { o.shift = shift }
                if let rounds { o.rounds = rounds }
                if let steps { o.steps = steps }
                if let weightDecay { o.weightDecay = weightDecay }
                if let consistency { o.consistency = consistency }
                if let keepLastBelow { o.keepLastBelow = keepLastBelow }
                if let neighbours {
                    // 0: the recipe before (the classifier's pseudo-labels on its schedule).
                    if neighbours == 0 { o.pseudoPerClass = FineTune.recipe(scratch: false, propagation: false).pseudoPerClass }
                    o.propagationNeighbours = neighbours
                }
                if let pseudo { o.pseudoPerClass = pseudo }
                if let graph { o.propagationCurrent = graph == "current" }
                if let mix { o.propagationMix = mix }
                if let alpha { o.propagationAlpha = alpha }
            }
            if let encoderRate { bench.adjustPretrained = { $0.encoderRate = encoderRate } }
            bench.trace = trace
            bench.measureTest = !validationOnly
            bench.modes = arms == "pretrained" ? [true] : arms == "scratch" ? [false] : [true, false]
            for name in try list(encoders, { $0 }) {
                let wall = Date()
                let autoencoder = try fitted(name, train: train)
                let arms = try bench.run(autoencoder: autoencoder, train: train, test: test) { if !quiet { note("\(dataset) \(name): " + $0) } }
                let text = PretrainReport(dataset: dataset, encoder: name, noise: noise, aeLr: aeLr, epochs: epochs, bench: bench, arms: arms,
                                          seconds: Date().timeIntervalSince(wall),
                                          command: (["aedetect"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
                if validationOnly { print(text.validationLines); continue }
                print(text.lines)
                if !noReport {
                    try OneClassReport.write(section: "pretrain-\(dataset)-\(name)", body: text.markdown, to: report)
                    print("updated \(report)")
                }
            }
        }
    }

    /// The autoencoder of preset `name` fitted on every training image (cached in --work).
    func fitted(_ name: String, train: Dataset) throws -> Sequential {
        let architecture = try Presets.named(name)
        let file = URL(fileURLWithPath: work).appendingPathComponent("\(dataset)-\(name)-e\(epochs)-n\(noise)-lr\(aeLr)-s\(seed).safetensors")
        if let loaded = try? ModelFile.load(from: file), loaded.model.architecture == architecture {
            if !quiet { note("\(dataset) \(name): autoencoder from \(file.path)") }
            return loaded.model
        }
        let model = try Sequential(architecture: architecture, seed: seed)
        var options = TrainingOptions(for: architecture, epochs: epochs, seed: seed)
        if noise > 0 { options.noise = noise }
        options.learningRate = aeLr
        let trainer = Trainer(model: model, options: options)
        let x = Tensor(shape: [train.count] + architecture.inputShape, values: train.images)
        let history = try trainer.fit(x) { event in
            if case let .epochEnd(e, total, loss, _, seconds) = event, !quiet {
                note(String(format: "\(dataset) \(name): autoencoder epoch %d/%d loss %.5f %.1fs", e + 1, total, loss, seconds))
            }
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ModelFile.save(model, history: history, to: file, overwrite: true)
        return model
    }
}

/// The benchmark's table for one dataset and encoder.
struct PretrainReport {
    let dataset: String, encoder: String, noise: Float, aeLr: Float, epochs: Int
    let bench: PretrainBenchmark
    let arms: [PretrainBenchmark.Arm]
    let seconds: Double
    let command: String

    func arm(_ labels: Int, _ pretrained: Bool) -> PretrainBenchmark.Arm? { arms.first { $0.labels == labels && $0.pretrained == pretrained } }

    func cell(_ a: PretrainBenchmark.Arm) -> String {
        String(format: "%.4f ± %.4f (", a.testMean, a.testSD) + a.chosen.map { String(format: "%.4f", $0.testAccuracy) }.joined(separator: ", ")
            + String(format: "); lr %g", a.chosenRate)
    }

    var lines: String {
        bench.labelCounts.compactMap { l -> String? in
            guard let p = arm(l, true), let s = arm(l, false) else { return nil }
            return "\(dataset) \(encoder) \(l) labels: pretrained \(cell(p)) | scratch \(cell(s))" + String(format: " | difference %+.4f", p.testMean - s.testMean)
        }.joined(separator: "\n")
    }

    /// Mean validation accuracy of each arm (screening).
    var validationLines: String {
        arms.map { a in
            "\(dataset) \(encoder) \(a.labels) labels, \(a.pretrained ? "pretrained" : "scratch"): validation "
                + String(format: "%.4f (", a.validationMean) + a.chosen.map { String(format: "%.4f", $0.validationAccuracy) }.joined(separator: ", ")
                + String(format: "); lr %g", a.chosenRate)
        }.joined(separator: "\n")
    }

    var markdown: String {
        let name = dataset == "mnist" ? "MNIST" : "Fashion-MNIST"
        var md = ["## Pretraining benchmark: \(name), `\(encoder)` encoder", "",
                  "Test accuracy (10,000 test images), mean ± sd over \(bench.subsets) labelled subsets (each subset's figure in brackets), "
                  + "each arm at the learning rate its first subset chose on the validation images. The autoencoder was fitted on all 60,000 "
                  + "training images without labels (\(epochs) epochs, Adam lr \(aeLr)" + (noise > 0 ? ", denoising σ \(noise)" : "") + ").", "",
                  "| labels | pretrained | fresh weights (`--scratch`) | difference |", "| ---: | --- | --- | ---: |"]
        for l in bench.labelCounts {
            guard let p = arm(l, true), let s = arm(l, false) else { continue }
            md.append("| \(l) | \(cell(p)) | \(cell(s)) | " + String(format: "%+.4f", p.testMean - s.testMean) + " |")
        }
        md += ["", "Learning-rate choice (validation accuracy on the last 10,000 training images, first subset):", ""]
        for a in arms {
            let tried = a.runs.filter { $0.subset == 0 }.map { String(format: "%g → %.4f", $0.learningRate, $0.validationAccuracy) }
            md.append("- \(a.labels) labels, \(a.pretrained ? "pretrained" : "fresh weights"): " + tried.joined(separator: ", "))
        }
        md += ["", "Run: `\(command)` (\(String(format: "%.0f", seconds)) s on 2 threads, including the autoencoder's fit when not cached)."]
        return md.joined(separator: "\n")
    }
}
