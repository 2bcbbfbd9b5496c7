import NeuralNet

/// The autoencoder as ONNX operators, layer by layer. Values between layers keep aedetect's
/// layout (batch first, images channels-last), so Flatten and Reshape are plain reshapes;
/// convolutions and pooling transpose to ONNX's channels-first and back around themselves
/// (onnxruntime cancels the pairs that meet).
struct NetworkGraph {
    let model: Sequential
    let graph: GraphBuilder

    /// The network's output from `input`, and the output of layer `codeLayer` when asked for.
    func emit(input: String, codeLayer: Int?) throws -> (output: String, code: String?) {
        var x = input
        var code: String?
        for (i, spec) in model.architecture.layers.enumerated() {
            x = try layer(spec, model.layers[i], x)
            if i == codeLayer { code = x }
        }
        return (x, code)
    }

    /// The architecture's spec gives the activation (Sequential may run a last sigmoid folded
    /// into the loss, applying it in `predict`); the built layer gives the weights.
    private func layer(_ spec: LayerSpec, _ built: Layer, _ x: String) throws -> String {
        switch spec {
        case let .dense(_, activation), let .timeDistributedDense(_, activation):
            return activate(dense(built as! Dense, x), activation)
        case let .conv2D(_, _, _, _, activation):
            return graph.toChannelsLast(activate(try ConvGraph(graph: graph).conv(built as! Conv2D, graph.toChannelsFirst(x)), activation))
        case let .conv2DTranspose(_, _, _, _, activation):
            return graph.toChannelsLast(activate(ConvGraph(graph: graph).transposed(built as! Conv2DTranspose, graph.toChannelsFirst(x)), activation))
        case .maxPooling2D:
            return graph.toChannelsLast(try ConvGraph(graph: graph).maxPool(built as! MaxPooling2D, graph.toChannelsFirst(x)))
        case .flatten, .reshape:
            return graph.reshape(x, toItemShape: built.outputShape)
        case .lstm:
            return RecurrentGraph(graph: graph).lstm(built as! LSTM, x)
        case .bidirectional:
            return RecurrentGraph(graph: graph).bidirectional(built as! Bidirectional, x)
        }
    }

    /// x·W + b on the last axis: Gemm for [N, in], MatMul and Add for [N, steps, in].
    private func dense(_ layer: Dense, _ x: String) -> String {
        let w = graph.floats(Array(layer.kernel.value.buffer), shape: layer.kernel.value.shape, hint: "kernel")
        let b = graph.floats(Array(layer.bias.value.buffer), shape: layer.bias.value.shape, hint: "bias")
        if layer.inputShape.count == 1 { return graph.op("Gemm", x, w, b) }
        return graph.op("Add", graph.op("MatMul", x, w), b)
    }

    func activate(_ x: String, _ activation: Activation) -> String {
        switch activation {
        case .linear: x
        case .relu: graph.op("Relu", x)
        case .sigmoid: graph.op("Sigmoid", x)
        case .tanh: graph.op("Tanh", x)
        }
    }
}
