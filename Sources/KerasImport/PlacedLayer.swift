/// A layer of the imported model with where its weights are. Models nested in the model (an
/// encoder and a decoder `Sequential` inside the autoencoder) are flattened into their layers:
/// Keras 3 keeps a nested model's weights under its own group, `layers/sequential/layers/dense/…`.
struct PlacedLayer {
    let layer: KerasLayer
    /// Its group in model.weights.h5 (`layers/dense_1`, `layers/sequential/layers/dense_1`).
    let group: String
    /// Its name within the models around it: `dense_1`, `encoder/dense_1`.
    let name: String

    /// The layers of a model's `layers` list (InputLayer taken out), nested models flattened.
    static func flatten(_ layers: [KerasLayer], groupPrefix: String = "layers", namePrefix: String = "") throws -> [PlacedLayer] {
        let groups = WeightGroupNames.groups(forClasses: layers.map(\.className))
        return try zip(layers, groups).flatMap { layer, group -> [PlacedLayer] in
            let path = "\(groupPrefix)/\(group)"
            guard ModelLayers.isModel(layer.className) else { return [PlacedLayer(layer: layer, group: path, name: namePrefix + layer.name)] }
            let inner = try ModelLayers(className: layer.className, config: layer.config, file: layer.file)
            return try flatten(inner.layers, groupPrefix: "\(path)/layers", namePrefix: "\(namePrefix)\(layer.name)/")
        }
    }
}
