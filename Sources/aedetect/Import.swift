import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import KerasImport
import NeuralNet

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a Keras 3 .keras model into an aedetect model file, its threshold calibrated on normal samples.",
        discussion: """
        FILE is a Keras 3 archive (model.save("m.keras")) of a Sequential model, or a Functional chain, of the \
        layers \(KerasImportError.vocabulary) with float32 weights, models nested in it read as their layers. Carried across: the layers and \
        weights, the loss of the compile config (mse or binary_crossentropy) and Adam's learning rate. Not \
        carried: the optimizer state, the training history, anything only training uses (initialisers, \
        regularisers, dropout rates). A layer or option outside the vocabulary is refused, naming it. \
        The encoder layer (for encode and a latent scoring term) is the last layer named (or nested in a model \
        named) like encoder/encoded/bottleneck/latent/code, else the narrowest layer before the output when it is \
        narrower than the input (carried on through a Flatten or Reshape right after it), else none; \
        --encoder-layer overrides. The samples of --calibrate set the threshold as fit's held-out slice does; \
        the model scores by pixel_mse unless --scoring says otherwise.
        """)

    @Argument(help: "Keras 3 .keras archive (zip of config.json, metadata.json, model.weights.h5).")
    var file: String

    @Option(help: "IDX images file or image folder (PNG, JPEG) of normal samples that calibrate the threshold.")
    var calibrate: String

    @Option(help: "IDX labels file for an IDX --calibrate input.")
    var labels: String?

    @Option(help: "Calibrate on this class only: a label of --labels, or a sub-folder name of an image folder.")
    var normalClass: String?

    @Option(help: "Threshold method: quantile:Q, sigma:K, contamination:C or evt:Q.")
    var threshold = "quantile:0.99"

    @OptionGroup var scoringOption: ScoringOption

    @Option(help: "With a scoring rule that has ssim or latent terms: share of the --calibrate samples that calibrate; the rest fit the terms.")
    var calibrationFraction = 0.1

    @Option(help: "Random seed of that split.")
    var seed: UInt64 = 0

    @Option(help: "Keras name of the encoder layer, or none (default: the rule above).")
    var encoderLayer: String?

    @Flag(help: "Invert images (1 − v) for dark-on-light inputs such as scans.")
    var invert = false

    @Flag(help: "Resample images of another size to the model's input instead of refusing them.")
    var resize = false

    @Option(name: .shortAndLong, help: "Model file to write (refuses to overwrite without --force).")
    var out = "model.safetensors"

    @OptionGroup var forceOption: ForceOption
    @OptionGroup var threadsOption: ThreadsOption
    @OptionGroup var quietOption: QuietOption

    func validate() throws {
        if labels != nil && normalClass == nil { throw ValidationError("--labels needs --normal-class") }
        do { _ = try ThresholdMethod(parsing: threshold) } catch { throw ValidationError("--threshold: \(error)") }
    }

    func run() throws {
        try reportingErrors {
            threadsOption.apply()
            if !forceOption.force && FileManager.default.fileExists(atPath: out) { throw ModelFileError.exists(out) }
            let keras = try KerasModel(path: file, encoderLayer: encoderLayer)
            let model = keras.model
            model.parallelism = threadsOption.parallelism
            if !quietOption.quiet { describe(keras) }
            let preprocessing = try Preprocessing(for: model.architecture, invert: invert, resize: resize)
            let normal = try NormalSamples.load(calibrate, labels: labels, normalClass: normalClass, preprocessing: preprocessing,
                                                onFailure: { note("skipped \($0): \($1)") })
            var job = KerasDetector()
            job.scoring = try scoringOption.scoring.map { try ScoringRule(parsing: $0) } ?? .pixelMSE
            job.threshold = try ThresholdMethod(parsing: threshold)
            job.calibrationFraction = calibrationFraction
            job.seed = seed
            job.provenance = ["input": calibrate, "normal_class": normalClass ?? "", "keras_file": file,
                              "date": ISO8601DateFormatter().string(from: Date()), "architecture": model.architecture.name]
            let detector = try job.make(keras, normal: normal, preprocessing: preprocessing)
            try detector.save(to: URL(fileURLWithPath: out), overwrite: forceOption.force)
            if !quietOption.quiet { note("import: wrote \(out)") }
            print(FitSummary(detector).text)
        }
    }

    private func describe(_ keras: KerasModel) {
        let model = keras.model
        note("import: \(file) (Keras \(keras.kerasVersion ?? "version unknown")): \(model.layers.count) layers, "
             + "\(model.parameterCount) parameters, input \(shapeText(model.inputShape)), loss \(model.architecture.loss.rawValue)")
        let encoder = model.architecture.encoderLayer.map { "layer \($0) \"\(keras.layerNames[$0])\" \(shapeText(model.layers[$0].outputShape))" } ?? "none"
        note("import: encoder: \(encoder): \(keras.encoderReason)")
        for n in keras.notes { note("import: note: \(n)") }
    }
}
