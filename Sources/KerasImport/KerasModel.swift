import Foundation
import NeuralNet

/// A `.keras` file read into an aedetect network: architecture, weights, and which layer is
/// the encoder. Nothing is kept of Keras but what `predict` computes with and the loss.
public struct KerasModel {
    public let model: Sequential
    /// The Keras name of each layer of `model`, within the models nested around it (`encoder/dense_1`).
    public let layerNames: [String]
    /// Why the encoder layer is the one it is (see `EncoderChoice`).
    public let encoderReason: String
    public let kerasVersion: String?
    public let kerasName: String
    /// What was assumed for lack of information in the file.
    public let notes: [String]

    /// Reads `path`. `encoderLayer`: a Keras layer name, or "none", instead of `EncoderChoice`'s rule.
    public init(path: String, encoderLayer: String? = nil) throws {
        let archive = try KerasArchive(path: path)
        let config = try KerasModelConfig(archive.config, file: path)
        let specs = try ShapeResolution.resolve(config.layers.map { try $0.layer.spec() }, input: config.inputShape,
                                                layers: config.layers, file: path)
        let weights: HDF5File
        do { weights = try HDF5File(bytes: archive.weights, name: "\(path):model.weights.h5") } catch let e as HDF5Error {
            throw KerasImportError.damaged(file: path, what: "model.weights.h5: \(e.message)")
        }
        var architecture = Architecture(name: "keras-\(config.modelName)", inputShape: config.inputShape, layers: specs,
                                        loss: config.loss, learningRate: config.learningRate, batchSize: 32)
        let built: Sequential
        do { built = try Sequential(architecture: architecture, seed: 0) } catch {
            throw KerasImportError.inconsistent(file: path, what: "the layers do not fit together: \(error)")
        }
        for (layer, placed) in zip(built.layers, config.layers) {
            try KerasWeights.load(weights, into: layer, placed: placed)
        }
        layerNames = config.layers.map(\.name)
        let encoder = try Self.encoder(encoderLayer, names: layerNames, model: built, file: path)
        architecture.encoderLayer = encoder.index
        // The architecture is part of the model: rebuild with the encoder set, and copy the weights.
        model = try Sequential(architecture: architecture, seed: 0)
        for (p, q) in zip(model.parameters, built.parameters) { p.value.copy(from: q.value) }
        encoderReason = encoder.reason
        kerasVersion = archive.kerasVersion
        kerasName = config.modelName
        notes = config.notes
    }

    private static func encoder(_ requested: String?, names: [String], model: Sequential, file: String) throws -> (index: Int?, reason: String) {
        switch requested {
        case nil: return EncoderChoice.choose(names: names, layers: model.layers, inputShape: model.inputShape)
        case "none"?: return (nil, "none (--encoder-layer none)")
        case let name?:
            guard let i = names.firstIndex(of: name) ?? names.firstIndex(where: { $0.hasSuffix("/" + name) }) else {
                throw KerasImportError.inconsistent(file: file, what: "no layer named \"\(name)\" (layers: \(names.joined(separator: ", ")))")
            }
            return (i, "named by --encoder-layer")
        }
    }
}
