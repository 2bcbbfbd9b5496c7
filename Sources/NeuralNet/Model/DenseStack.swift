/// Inference through a model made only of Dense layers: each thread takes a range of the
/// batch's rows through every layer, so the threads meet once per batch rather than once per
/// layer, and each range's activations stay in its own core's cache. The arithmetic of every row is
/// that of the layer-by-layer row split.
struct DenseStack {
    let layers: [Dense]

    init?(_ layers: [Layer]) {
        let dense = layers.compactMap { $0 as? Dense }
        guard !dense.isEmpty, dense.count == layers.count else { return nil }
        self.layers = dense
    }

    /// The output for x (and layer `capture.layer`'s output copied to `capture.into`), or nil
    /// when the batch is one the layers would not split by rows (too little work, or fewer
    /// rows than some layer's units: that layer splits columns).
    func predict(_ x: Tensor, parallelism: Parallelism,
                 capture: (layer: Int, into: UnsafeMutablePointer<Float>)? = nil) -> Tensor? {
        let rows = x.count / layers[0].inFeatures
        let work = layers.reduce(0) { $0 + rows * $1.inFeatures * $1.units }
        guard rows >= 2, work >= Parallelism.minimumMultiplyAdds, layers.allSatisfy({ rows > $0.units }) else { return nil }
        var outputs: [Tensor] = []
        var h = x
        for layer in layers { h = layer.prepareForward(h); outputs.append(h) }
        parallelism.split(rows) { range, _ in
            for layer in layers { layer.forward(rows: range) }
        }
        if let capture { capture.into.update(from: outputs[capture.layer].ptr, count: outputs[capture.layer].count) }
        return h
    }
}
