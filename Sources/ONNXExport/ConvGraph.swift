import NeuralNet

/// Conv2D, Conv2DTranspose and MaxPooling2D on channels-first values, with TensorFlow's
/// `same` padding written out as explicit pads (the odd pixel after).
struct ConvGraph {
    let graph: GraphBuilder

    func conv(_ layer: Conv2D, _ x: String) throws -> String {
        let pads = try Self.pads(layer.inputShape, kernel: layer.kernelSize, strides: layer.strides, padding: layer.padding)
        // Keras [kH, kW, C, F] → ONNX [F, C, kH, kW].
        let w = graph.floats(Self.permuted(layer.kernel.value, [3, 2, 0, 1]), shape: [layer.filters, layer.inputShape[2], layer.kernelSize.0, layer.kernelSize.1], hint: "kernel")
        let b = graph.floats(Array(layer.bias.value.buffer), shape: [layer.filters], hint: "bias")
        return graph.op("Conv", x, w, b, attributes: [
            Attribute.ints("kernel_shape", [layer.kernelSize.0, layer.kernelSize.1]),
            Attribute.ints("strides", [layer.strides.0, layer.strides.1]), Attribute.ints("pads", pads)])
    }

    /// ONNX's ConvTranspose is the input gradient of a correlation, as Keras's: the full output
    /// (stride·(in − 1) + k) cropped by the same leading padding aedetect uses.
    func transposed(_ layer: Conv2DTranspose, _ x: String) -> String {
        let (rows, cols) = (Self.crop(layer, axis: 0), Self.crop(layer, axis: 1))
        // Keras [kH, kW, F, C] → ONNX [C, F, kH, kW].
        let channels = layer.inputShape[2]
        let w = graph.floats(Self.permuted(layer.kernel.value, [3, 2, 0, 1]), shape: [channels, layer.filters, layer.kernelSize.0, layer.kernelSize.1], hint: "kernel")
        let b = graph.floats(Array(layer.bias.value.buffer), shape: [layer.filters], hint: "bias")
        return graph.op("ConvTranspose", x, w, b, attributes: [
            Attribute.ints("kernel_shape", [layer.kernelSize.0, layer.kernelSize.1]),
            Attribute.ints("strides", [layer.strides.0, layer.strides.1]),
            Attribute.ints("pads", [rows.before, cols.before, rows.after, cols.after]),
            Attribute.ints("output_padding", [rows.extra, cols.extra])])
    }

    /// ONNX's MaxPool skips padded cells, as TensorFlow's −∞ padding does.
    func maxPool(_ layer: MaxPooling2D, _ x: String) throws -> String {
        let pads = try Self.pads(layer.inputShape, kernel: layer.poolSize, strides: layer.strides, padding: layer.padding)
        return graph.op("MaxPool", x, attributes: [
            Attribute.ints("kernel_shape", [layer.poolSize.0, layer.poolSize.1]),
            Attribute.ints("strides", [layer.strides.0, layer.strides.1]), Attribute.ints("pads", pads)])
    }

    /// [top, left, bottom, right] of a window over an NHWC item shape.
    static func pads(_ shape: [Int], kernel: (Int, Int), strides: (Int, Int), padding: Padding) throws -> [Int] {
        func axis(_ n: Int, _ k: Int, _ s: Int) throws -> (Int, Int) {
            let (out, before) = try padding.window(input: n, kernel: k, stride: s)
            return (before, max((out - 1) * s + k - n - before, 0))
        }
        let (top, bottom) = try axis(shape[0], kernel.0, strides.0)
        let (left, right) = try axis(shape[1], kernel.1, strides.1)
        return [top, left, bottom, right]
    }

    /// What to cut from the full transposed output along one axis, or to add at its end
    /// (output_padding) when Keras's output is longer than the full one.
    static func crop(_ layer: Conv2DTranspose, axis: Int) -> (before: Int, after: Int, extra: Int) {
        let n = layer.inputShape[axis]
        let (k, s) = axis == 0 ? (layer.kernelSize.0, layer.strides.0) : (layer.kernelSize.1, layer.strides.1)
        let (out, before) = layer.padding.transposedWindow(input: n, kernel: k, stride: s)
        let after = s * (n - 1) + k - out - before
        return after >= 0 ? (before, after, 0) : (before, 0, -after)
    }

    /// A row-major tensor's values with its axes permuted (`perm[i]` = source axis of axis i).
    static func permuted(_ t: Tensor, _ perm: [Int]) -> [Float] {
        let shape = t.shape, source = Array(t.buffer)
        let target = perm.map { shape[$0] }
        var strides = [Int](repeating: 1, count: shape.count)
        for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
        var out = [Float](repeating: 0, count: source.count)
        var index = [Int](repeating: 0, count: shape.count)
        for o in 0..<out.count {
            var offset = 0
            for i in 0..<perm.count { offset += index[i] * strides[perm[i]] }
            out[o] = source[offset]
            var i = target.count - 1
            while i >= 0 { index[i] += 1; if index[i] < target[i] { break }; index[i] = 0; i -= 1 }
        }
        return out
    }
}
