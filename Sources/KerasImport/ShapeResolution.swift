import NeuralNet

/// Keras layers whose aedetect form depends on their input's shape, settled by following the
/// shapes through the model: a Dense on a sequence (Keras applies it at every step, which is
/// TimeDistributed(Dense)), and a Reshape with one size given as -1 (the size that keeps the count).
enum ShapeResolution {
    static func resolve(_ specs: [LayerSpec], input: [Int], layers: [PlacedLayer], file: String) throws -> [LayerSpec] {
        var resolved = specs, shape = input
        var rng = SeededRandom(seed: 0)
        for i in resolved.indices {
            switch resolved[i] {
            case let .dense(units, activation) where shape.count == 2:
                resolved[i] = .timeDistributedDense(units: units, activation: activation)
            case let .reshape(target) where target.contains(-1):
                resolved[i] = .reshape(targetShape: try inferred(target, count: Tensor.elementCount(shape), layer: layers[i].layer))
            default: break
            }
            do { shape = try resolved[i].makeLayer(inputShape: shape, rng: &rng).outputShape } catch let e as ShapeError {
                throw KerasImportError.inconsistent(file: file, what: "layer \"\(layers[i].name)\" (\(layers[i].layer.className)) does not fit its input \(shapeText(shape)): \(e.message)")
            }
        }
        return resolved
    }

    private static func inferred(_ target: [Int], count: Int, layer: KerasLayer) throws -> [Int] {
        let known = target.filter { $0 != -1 }.reduce(1, *)
        guard known > 0, count % known == 0 else { throw layer.refuse("target_shape \(target) does not divide \(count) values") }
        return target.map { $0 == -1 ? count / known : $0 }
    }
}
