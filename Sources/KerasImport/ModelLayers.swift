import Foundation

/// The `layers` list of a Keras model config, in order: a `Sequential` model's, or a `Functional`
/// one's when its layers form a chain (each layer's only input is the previous layer's output).
struct ModelLayers {
    static func isModel(_ className: String) -> Bool { ["Sequential", "Functional", "Model"].contains(className) }

    /// The InputLayer, when the list starts with one.
    let input: KerasLayer?
    /// The other layers.
    let layers: [KerasLayer]

    init(className: String, config: [String: Any], file: String) throws {
        let name = config["name"] as? String ?? "model"
        guard Self.isModel(className), let entries = config["layers"] as? [Any] else {
            throw KerasImportError.unsupportedLayer(file: file, className: className, name: name,
                                                    why: "the model must be a Sequential or a Functional chain of layers")
        }
        var all = try entries.map { try KerasLayer($0, file: file) }
        if className != "Sequential" { try Self.checkChain(all, entries: entries) }
        input = all.first?.className == "InputLayer" ? all.removeFirst() : nil
        layers = all
    }

    /// A Functional model imports when its layers are a chain: each takes exactly the previous layer's output.
    private static func checkChain(_ layers: [KerasLayer], entries: [Any]) throws {
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
