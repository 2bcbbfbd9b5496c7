import Foundation
import NeuralNet

/// What `config.json` says: the input shape, the layers in order, the loss and learning rate
/// of the compile config. A `Sequential` model, or a `Functional` one whose layers form a chain
/// (each layer's only input is the previous layer's output).
struct KerasModelConfig {
    let modelName: String
    let inputShape: [Int]
    let layers: [KerasLayer]
    let loss: Loss
    let learningRate: Float
    /// What was assumed for lack of information in the file, said to the user.
    let notes: [String]

    init(_ root: [String: Any], file: String) throws {
        let className = root["class_name"] as? String ?? "(none)"
        guard className == "Sequential" || className == "Functional" || className == "Model",
              let config = root["config"] as? [String: Any], let entries = config["layers"] as? [Any] else {
            throw KerasImportError.unsupportedLayer(file: file, className: className, name: (root["config"] as? [String: Any])?["name"] as? String ?? "model",
                                                    why: "the model must be a Sequential or a Functional chain of layers")
        }
        modelName = config["name"] as? String ?? "keras"
        var all = try entries.map { try KerasLayer($0, file: file) }
        if className != "Sequential" { try Self.checkChain(all, entries: entries, file: file) }
        var shape = Self.declaredInput(config: config, root: root)
        if let first = all.first, first.className == "InputLayer" {
            shape = try Self.inputLayerShape(first) ?? shape
            all.removeFirst()
        }
        guard let shape, !shape.isEmpty else {
            throw KerasImportError.inconsistent(file: file, what: "config.json gives no input shape (no InputLayer, no build_input_shape)")
        }
        inputShape = shape
        layers = all
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

    /// A Functional model imports when its layers are a chain: each takes exactly the previous layer's output.
    private static func checkChain(_ layers: [KerasLayer], entries: [Any], file: String) throws {
        for (i, entry) in entries.enumerated() where i > 0 {
            let nodes = (entry as? [String: Any])?["inbound_nodes"] as? [Any] ?? []
            let sources = nodes.flatMap(Self.historyNames)
            guard nodes.count == 1, sources == [layers[i - 1].name] else {
                throw layers[i].refuse("the Functional model is not a chain: its inputs are \(sources) (a chain needs just \"\(layers[i - 1].name)\")")
            }
        }
    }

    /// The layers whose outputs feed one inbound node (Keras 3: `keras_history` of each `__keras_tensor__` argument).
    private static func historyNames(_ node: Any) -> [String] {
        guard let args = (node as? [String: Any])?["args"] as? [Any] else { return [] }
        return args.compactMap { arg in
            ((arg as? [String: Any])?["config"] as? [String: Any])?["keras_history"].flatMap { ($0 as? [Any])?.first as? String }
        }
    }
}
