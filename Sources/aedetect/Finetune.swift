import AnomalyDetection
import ArgumentParser
import CommandSupport
import Classification
import Foundation
import NeuralNet

struct Finetune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a classifier on a few labelled samples, starting from an autoencoder's encoder (pretraining).",
        discussion: """
        The classifier is the autoencoder's layers up to its encoder layer, with their weights copied, and a \
        softmax head (one unit per class). INPUT holds the labelled samples: an IDX images file with --labels, \
        or a folder whose sub-folders are the classes. A slice of them (--validation-fraction) is held out, \
        never trained on, to keep the best weights. The recipe: the head is trained first on the frozen \
        encoder's features of randomly shifted copies of the labelled images, then for a few rounds the \
        classifier labels the unlabelled images (--unlabelled; by default the images the autoencoder was \
        fitted on), keeps its most confident predictions of each class, and trains every layer on them and \
        the labelled samples (self-training). --scratch trains the same layers from fresh weights with the \
        same procedure (the encoder then trains from the start), for comparison.
        """)

    @Option(help: "Autoencoder model file written by `aedetect fit` (its encoder starts the classifier).")
    var encoder: String

    @Argument(help: "Labelled samples: an IDX images file (with --labels) or a folder with one sub-folder per class.")
    var input: String

    @Option(help: "IDX labels file for an IDX input.")
    var labels: String?

    @Option(name: .shortAndLong, help: "Classifier file to write.")
    var out = "classifier.safetensors"

    @Flag(help: "Fresh weights instead of the encoder's (the same layers and procedure), for comparison.")
    var scratch = false

    @Option(help: "Unlabelled images for self-training (IDX file or folder), or 'none' (default: the images the autoencoder was fitted on, when its file records them and they exist).")
    var unlabelled: String?

    @Option(help: "Length of the first stage in epochs over the labelled samples (default: 500 steps).")
    var epochs: Int?

    @Option(help: "Learning rate of the first stage (Adam; default 0.003); the self-training rounds use a third of it.")
    var lr: Float?

    @Option(help: "Mini-batch size (default 128, or the number of labelled samples when fewer).")
    var batchSize: Int?

    @Option(help: "Random seed (fresh weights, the held-out slice, batches, shifts).")
    var seed: UInt64 = 0

    @Option(help: "Share of the labelled samples held out to keep the best weights (0: none).")
    var validationFraction = 0.1

    @Option(help: "Self-training rounds (0: none).")
    var rounds: Int?

    @Option(help: "Random shifts of the labelled images by up to this many pixels (0: none).")
    var shift: Int?

    @Option(help: "Weight of the consistency loss on the unlabelled images: two random shifts of an image should get the same prediction (default 1; 0: none).")
    var consistency: Float?

    @Option(help: "Pseudo-labels of the self-training rounds by label propagation over a graph joining each image to this many others nearest by the encoder's code (default 10; 0: the classifier's own predictions).")
    var neighbours: Int?

    @OptionGroup var threadsOption: ThreadsOption

    @OptionGroup var quietOption: QuietOption

    @OptionGroup var forceOption: ForceOption

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if !(validationFraction >= 0 && validationFraction < 1) { throw ValidationError("--validation-fraction must be in [0, 1)") }
        if let rounds, rounds < 0 { throw ValidationError("--rounds must be at least 0") }
        if let shift, shift < 0 { throw ValidationError("--shift must be at least 0") }
        if let consistency, !(consistency >= 0) { throw ValidationError("--consistency must be at least 0") }
        if let neighbours, neighbours < 0 { throw ValidationError("--neighbours must be at least 0") }
    }

    /// The recipe's options with this command's overrides.
    func options(labelledCount: Int) -> FineTuneOptions {
        var o = FineTune.recipe(scratch: scratch, propagation: neighbours != 0)
        o.seed = seed
        o.validationFraction = validationFraction
        if let lr { o.learningRate = lr; o.roundLearningRate = lr / 3 }
        if let batchSize { o.batchSize = batchSize }
        if let rounds { o.rounds = rounds }
        if let shift { o.shift = shift }
        if let consistency { o.consistency = consistency }
        if let neighbours, neighbours > 0 { o.propagationNeighbours = neighbours }
        if let epochs {
            let perEpoch = max(1, (labelledCount + o.batchSize - 1) / o.batchSize)
            o.steps = epochs * perEpoch
        }
        return o
    }

    func run() throws {
        try reportingErrors {
            threadsOption.apply()
            if !forceOption.force && FileManager.default.fileExists(atPath: out) { throw ModelFileError.exists(out) }
            let autoencoder = try Detector.load(from: URL(fileURLWithPath: encoder))
            if let grid = autoencoder.preprocessing.grid, grid.count > 1 {
                throw ClassifierError.input("\(encoder) reads an image as \(grid.count) tiles, so an image has no single code to classify from; finetune takes models whose input is the whole image")
            }
            let preprocessing = autoencoder.preprocessing
            let (all, classes) = try LabelledInputs.load(input, labels: labels, preprocessing: preprocessing,
                                                         onFailure: { note("skipped \($0): \($1)") })
            let options = options(labelledCount: all.count)
            let (train, validation) = FineTune.split(all, fraction: options.validationFraction, seed: seed)
            let unlabelledPath = unlabelledSource(autoencoder)
            var unlabelledImages: [Float]?
            if let unlabelledPath, options.rounds > 0 {
                let u = try NormalSamples.load(unlabelledPath, labels: nil, normalClass: nil, preprocessing: preprocessing)
                unlabelledImages = u.images
                if !quietOption.quiet { note("finetune: \(u.count) unlabelled images from \(unlabelledPath) for self-training") }
            } else if !quietOption.quiet, options.rounds > 0 {
                note("finetune: no unlabelled images (--unlabelled), so no self-training")
            }
            let architecture = try ClassifierArchitecture.make(from: autoencoder.model.architecture, classes: classes.count)
            let model = try Sequential(architecture: architecture, seed: seed, parallelism: threadsOption.parallelism)
            if !scratch { try ClassifierArchitecture.copyEncoder(from: autoencoder.model, to: model) }
            if !scratch, let (dead, units) = try? ClassifierArchitecture.deadCodeUnits(autoencoder.model, images: all.images, count: all.count),
               dead * 2 > units {
                note("finetune: warning: \(dead) of the encoder's \(units) code units are zero on every labelled sample, so the encoder carries little; an autoencoder fitted with a lower --lr (and --noise) keeps more of them (see README, \"Pretraining\")")
            }
            if !quietOption.quiet {
                note("finetune: \(all.count) labelled samples of \(classes.count) classes from \(input): \(train.count) to train on, \(validation.count) held out")
                note("finetune: \(scratch ? "fresh weights" : "encoder from \(encoder)"), \(architecture.layers.count) layers, \(model.parameterCount) parameters")
            }
            let job = FineTune(model: model, classes: classes.count, height: preprocessing.height, width: preprocessing.width,
                               channels: preprocessing.channels, options: options)
            let started = Date()
            let record = job.run(labelled: train, validation: validation, unlabelled: unlabelledImages) { event in
                guard !quietOption.quiet else { return }
                switch event {
                case let .stage(s): note("finetune: " + s)
                case let .step(done, total, loss):
                    if done % 250 == 0 || done == total { note(String(format: "  step %d/%d  loss %.4f  %.0fs", done, total, loss, Date().timeIntervalSince(started))) }
                case .evaluated: break
                case let .round(index, rounds, _, _, acc):
                    if let acc { note(String(format: "  round %d/%d: held-out accuracy %.4f", index, rounds, acc)) }
                }
            }
            var provenance = ["input": input, "labels": labels ?? "", "date": ISO8601DateFormatter().string(from: Date())]
            if let unlabelledPath { provenance["unlabelled"] = unlabelledPath }
            let info = Classifier.Info(classes: classes, encoderSource: scratch ? nil : encoder, options: options,
                                       record: record, provenance: provenance)
            try Classifier(model: model, preprocessing: preprocessing, info: info).save(to: URL(fileURLWithPath: out), overwrite: forceOption.force)
            let acc = record.validationAccuracy
            if validation.count > 0, let first = acc.first {
                print(String(format: "held-out accuracy (%d samples): %.4f after stage 1", validation.count, first)
                      + (acc.count > 1 ? ", " + acc.dropFirst().map { String(format: "%.4f", $0) }.joined(separator: ", ") + " after the self-training rounds" : "")
                      + "; kept " + (record.keptStage == 0 ? "stage 1" : "round \(record.keptStage)")
                      + (validation.count < options.keepLastBelow ? " (the last: fewer than \(options.keepLastBelow) held out is too few to choose)" : ""))
            }
            print(String(format: "finetune: wrote %@ (%.0f s)", out, record.seconds))
        }
    }

    /// --unlabelled, or the autoencoder's own training input when recorded and present.
    func unlabelledSource(_ autoencoder: Detector) -> String? {
        if let unlabelled { return unlabelled == "none" ? nil : unlabelled }
        guard let path = autoencoder.provenance["input"], !path.isEmpty, FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }
}
