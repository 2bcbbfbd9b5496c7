import Foundation
import NeuralNet

/// What `config.json` says: the input shape, the layers in order (`ModelLayers`, nested models
/// flattened), the loss and learning rate of the compile config.
struct KerasModelConfig {
    let modelName: String
    let inputShape: [Int]
    let layers: [PlacedLayer]
    let loss: Loss
    let learningRate: Float
    /// What was assumed for lack of information in the file, said to the user.
    let notes: [String]

    init(_ root: [String: Any], file: String) throws {
        let config = root["config"] as? [String: Any] ?? [:]
        let list = try ModelLayers(className: root["class_name"] as? String ?? "(none)", config: config, file: file)
        modelName = config["name"] as? String ?? "keras"
        var shape = Self.declaredInput(config: config, root: root)
        if let input = list.input { shape = try Self.inputLayerShape(input) ?? shape }
        guard let shape, !shape.isEmpty else {
            throw KerasImportError.inconsistent(file: file, what: "config.json gives no input shape (no InputLayer, no build_input_shape)")
        }
        inputShape = shape
        layers = try PlacedLayer.flatten(list.layers)
        var notes: [String] = []
        (loss, learningRate) = try Self.compiled(root["compile_config"] as? [String: Any], file: file, notes: &notes)
        self.notes = notes
    }

    /// Sequential's build shape without the batch axis.
    private static func declaredInput(config: [String: Any], root: [String: Any]) -> [Int]? {
        let candidates = [config["build_input_shape"], (root["build_config"] as? [String: Any])?["input_shape"]]
        for case let list? in candidates {
            if let dims = list as? [Any], dims.count > 1 { return dims.dropFirst().compactMap { $0 as? Int } }
        }
        return nil
    }

    private static func inputLayerShape(_ layer: KerasLayer) throws -> [Int]? {
        try layer.expect("sparse", in: [false], "sparse inputs are not supported")
        try layer.expect("ragged", in: [false], "ragged inputs are not supported")
        if let dtype = layer.config["dtype"] as? String, dtype != "float32" { throw layer.refuse("input dtype \(dtype) (only float32)") }
        for key in ["batch_shape", "batch_input_shape"] {
            guard let dims = layer.config[key] as? [Any], dims.count > 1 else { continue }
            let shape = dims.dropFirst().map { $0 as? Int }
            guard shape.allSatisfy({ $0 != nil }) else { throw layer.refuse("an input with a free size \(dims.dropFirst()) (aedetect needs a fixed shape)") }
            return shape.map { $0! }
        }
        return nil
    }

    /// Loss and Adam's learning rate from the compile config; mse and 0.001 when the model was saved uncompiled.
    private static func compiled(_ compile: [String: Any]?, file: String, notes: inout [String]) throws -> (Loss, Float) {
        guard let compile else {
            notes.append("the model was saved without a compile config: loss taken as mse")
            return (.meanSquaredError, 0.001)
        }
        let loss = try lossName(compile["loss"], file: file)
        let optimizer = (compile["optimizer"] as? [String: Any])?["config"] as? [String: Any]
        var rate: Float = 0.001
        if let r = optimizer?["learning_rate"] as? Double { rate = Float(r) } else {
            notes.append("no constant learning rate in the compile config: 0.001 recorded")
        }
        return (loss, rate)
    }

    private static func lossName(_ value: Any?, file: String) throws -> Loss {
        var name = value as? String
        if let object = value as? [String: Any] {
            if let config = object["config"] as? [String: Any], config["from_logits"] as? Bool == true {
                throw KerasImportError.inconsistent(file: file, what: "the loss is computed from logits, which aedetect does not do (it applies the sigmoid of the last layer)")
            }
            name = object["class_name"] as? String
        }
        switch name {
        case "mse", "mean_squared_error", "MeanSquaredError": return .meanSquaredError
        case "binary_crossentropy", "BinaryCrossentropy": return .binaryCrossentropy
        default:
            throw KerasImportError.inconsistent(file: file, what: "loss \(name ?? "\(value ?? "none")") is not supported (only mse, binary_crossentropy)")
        }
    }
}
