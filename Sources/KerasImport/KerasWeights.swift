import NeuralNet

/// Where Keras 3 keeps a layer's variables in `model.weights.h5`: under its group (see
/// `WeightGroupNames`, `PlacedLayer`),
/// numbered in creation order (`vars/0` kernel, `vars/1` bias). An LSTM's are in its cell
/// (kernel, recurrent_kernel, bias, gates i, f, c, o: aedetect's own layout), a Bidirectional's
/// in `forward_layer/cell` then `backward_layer/cell`, a TimeDistributed's in `layer`. Kernels are
/// in aedetect's layouts already: Dense [in, out], Conv2D [kh, kw, in, out], Conv2DTranspose
/// [kh, kw, out, in].
enum KerasWeights {
    /// The datasets holding the layer's parameters, in the order of `Layer.parameters`.
    static func paths(_ placed: PlacedLayer) -> [String] {
        let base = placed.group
        switch placed.layer.className {
        case "Dense", "Conv2D", "Conv2DTranspose": return ["\(base)/vars/0", "\(base)/vars/1"]
        case "TimeDistributed": return ["\(base)/layer/vars/0", "\(base)/layer/vars/1"]
        case "LSTM": return (0..<3).map { "\(base)/cell/vars/\($0)" }
        case "Bidirectional":
            return ["forward_layer", "backward_layer"].flatMap { side in (0..<3).map { "\(base)/\(side)/cell/vars/\($0)" } }
        default: return []
        }
    }

    /// Copies the datasets into the built layer's parameters, checking every shape.
    static func load(_ file: HDF5File, into layer: Layer, placed: PlacedLayer) throws {
        let (keras, group, paths) = (placed.layer, placed.group, paths(placed))
        guard paths.count == layer.parameters.count else {
            throw KerasImportError.inconsistent(file: keras.file, what: "layer \"\(keras.name)\": \(paths.count) weight tensors expected, the layer has \(layer.parameters.count)")
        }
        for (path, parameter) in zip(paths, layer.parameters) {
            guard file.exists(path) else {
                let present = file.children(group)
                throw KerasImportError.damaged(file: keras.file, what: "model.weights.h5 has no \(path) for layer \"\(keras.name)\" (\(keras.className))"
                                               + (present.isEmpty ? "" : "; under \(group): \(present.joined(separator: ", "))"))
            }
            let (shape, values): ([Int], [Float])
            do { (shape, values) = try file.floats(path) } catch let e as HDF5Error {
                throw KerasImportError.damaged(file: keras.file, what: "model.weights.h5: \(e.message)")
            }
            guard shape == parameter.value.shape else {
                throw KerasImportError.inconsistent(file: keras.file, what: "shape mismatch: \(path) is \(shapeText(shape)), layer \"\(keras.name)\" (\(keras.className)) needs its \(parameter.name) to be \(shapeText(parameter.value.shape))")
            }
            values.withUnsafeBufferPointer { parameter.value.ptr.update(from: $0.baseAddress!, count: values.count) }
        }
    }
}
