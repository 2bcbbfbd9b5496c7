import AnomalyDetection
import Foundation
import NeuralNet

/// A classifier: a network ending in a softmax head (logits out), how images become its input,
/// and the class names. Stored as a model file like a detector's, with `classifier` metadata.
public struct Classifier {
    public let model: Sequential
    public let preprocessing: Preprocessing
    public let classes: [String]
    public var info: Info

    /// Where it came from and how it was trained (the file's `classifier` metadata).
    public struct Info: Codable, Equatable, Sendable {
        public var classes: [String]
        /// The autoencoder model file whose encoder started it, or nil for fresh weights (--scratch).
        public var encoderSource: String?
        public var options: FineTuneOptions
        public var record: FineTuneRecord
        public var provenance: [String: String]
        public init(classes: [String], encoderSource: String?, options: FineTuneOptions, record: FineTuneRecord,
                    provenance: [String: String]) {
            self.classes = classes; self.encoderSource = encoderSource; self.options = options
            self.record = record; self.provenance = provenance
        }
        enum CodingKeys: String, CodingKey {
            case classes, encoderSource = "encoder_source", options, record, provenance
        }
    }

    public init(model: Sequential, preprocessing: Preprocessing, info: Info) {
        self.model = model; self.preprocessing = preprocessing; self.classes = info.classes; self.info = info
    }

    static let keys = (classifier: "classifier", preprocessing: "preprocessing")

    public func save(to url: URL, overwrite: Bool) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let extra = [
            Classifier.keys.classifier: String(decoding: try enc.encode(info), as: UTF8.self),
            Classifier.keys.preprocessing: String(decoding: try enc.encode(preprocessing), as: UTF8.self),
        ]
        try ModelFile.save(model, history: TrainingHistory(), extra: extra, to: url, overwrite: overwrite)
    }

    public static func load(from url: URL) throws -> Classifier {
        let loaded = try ModelFile.load(from: url)
        guard let infoText = loaded.extra[keys.classifier] else {
            throw ClassifierError.modelFile("\(url.path): not a classifier (no classifier metadata) — make one with `aedetect finetune`")
        }
        let info: Info, preprocessing: Preprocessing
        do {
            info = try JSONDecoder().decode(Info.self, from: Data(infoText.utf8))
            preprocessing = try JSONDecoder().decode(Preprocessing.self, from: Data((loaded.extra[keys.preprocessing] ?? "").utf8))
        } catch {
            throw ClassifierError.modelFile("\(url.path): unreadable classifier metadata: \(error)")
        }
        guard loaded.model.architecture.loss == .categoricalCrossentropy, loaded.model.outputShape == [info.classes.count] else {
            throw ClassifierError.modelFile("\(url.path): the network's output \(loaded.model.outputShape) does not match its \(info.classes.count) classes")
        }
        return Classifier(model: loaded.model, preprocessing: preprocessing, info: info)
    }

    /// Class probabilities [count × classes] of `count` images laid out as the model's input, in batches.
    public func probabilities(_ images: [Float], count: Int) -> [Float] {
        Classifier.probabilities(model: model, images: images, count: count, classes: classes.count)
    }

    static func probabilities(model: Sequential, images: [Float], count: Int, classes: Int, batchSize: Int = 1000) -> [Float] {
        let size = Tensor.elementCount(model.inputShape)
        var out = [Float](repeating: 0, count: count * classes)
        let x = Tensor()
        var start = 0
        while start < count {
            let m = min(batchSize, count - start)
            x.resize([m] + model.inputShape)
            images.withUnsafeBufferPointer { x.ptr.update(from: $0.baseAddress! + start * size, count: m * size) }
            let logits = model.predict(x)
            out.withUnsafeMutableBufferPointer {
                SoftmaxCrossEntropy.probabilities(logits.ptr, rows: m, classes: classes, into: $0.baseAddress! + start * classes)
            }
            start += m
        }
        return out
    }
}
