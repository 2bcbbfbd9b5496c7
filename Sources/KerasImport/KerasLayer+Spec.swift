import Foundation
import NeuralNet

/// The layer as aedetect's `LayerSpec`, or a refusal naming what is not carried across. Options
/// that only shape training (initialisers, regularisers, constraints, dropout rates inside an
/// LSTM) do not change `predict` and are ignored; options that change the computation must
/// have the value aedetect computes with.
extension KerasLayer {
    func spec() throws -> LayerSpec {
        try requireFloat32()
        switch className {
        case "Dense":
            return .dense(units: try int("units"), activation: try denseActivation())
        case "Conv2D":
            let c = try convolution()
            try expect("groups", in: [1], "grouped convolutions are not supported")
            return .conv2D(filters: c.filters, kernel: c.kernel, strides: c.strides, padding: c.padding, activation: c.activation)
        case "Conv2DTranspose":
            let c = try convolution()
            try expect("output_padding", in: [], "output_padding is not supported")
            return .conv2DTranspose(filters: c.filters, kernel: c.kernel, strides: c.strides, padding: c.padding, activation: c.activation)
        case "MaxPooling2D":
            try channelsLast()
            return .maxPooling2D(pool: try pair("pool_size") ?? [2, 2], strides: try pair("strides"), padding: try padding())
        case "Flatten":
            try channelsLast()
            return .flatten
        case "Reshape":
            let target = try intList("target_shape")
            // One size may be -1 (inferred): ShapeResolution settles it.
            guard target.allSatisfy({ $0 > 0 || $0 == -1 }), target.filter({ $0 == -1 }).count <= 1 else {
                throw refuse("target_shape \(target) must be positive sizes, one of them -1 at most")
            }
            return .reshape(targetShape: target)
        case "LSTM":
            let l = try lstm()
            guard !l.goBackwards else { throw refuse("go_backwards on its own (outside Bidirectional) is not supported") }
            return .lstm(units: l.units, returnSequences: l.returnSequences)
        case "Bidirectional":
            return try bidirectional()
        case "TimeDistributed":
            let inner = try nested("layer")
            guard inner.className == "Dense" else {
                throw refuse("TimeDistributed wraps a \(inner.className) (only Dense)")
            }
            try inner.requireFloat32()
            return .timeDistributedDense(units: try inner.int("units"), activation: try inner.denseActivation())
        default:
            throw refuse("\(className) is outside the supported vocabulary (\(KerasImportError.vocabulary))")
        }
    }

    private func denseActivation() throws -> Activation {
        try expect("use_bias", in: [true], "a layer without bias is not supported")
        try expect("lora_rank", in: [0], "LoRA is not supported")
        try expect("quantization_config", in: [], "quantized layers are not supported")
        return try activation()
    }

    private func convolution() throws -> (filters: Int, kernel: [Int], strides: [Int], padding: Padding, activation: Activation) {
        try channelsLast()
        try expect("dilation_rate", in: [1, [1, 1]], "dilated convolutions are not supported")
        try expect("use_bias", in: [true], "a layer without bias is not supported")
        try expect("lora_rank", in: [0], "LoRA is not supported")
        guard let kernel = try pair("kernel_size") else { throw refuse("kernel_size is missing") }
        return (try int("filters"), kernel, try pair("strides") ?? [1, 1], try padding(), try activation())
    }

    private func padding() throws -> Padding {
        let text = string("padding") ?? "valid"
        guard let p = Padding(rawValue: text) else { throw refuse("padding \"\(text)\" (only same, valid)") }
        return p
    }

    private func channelsLast() throws {
        try expect("data_format", in: ["channels_last"], "only channels_last (NHWC) images")
    }

    /// An LSTM with Keras's default cell: tanh, sigmoid gates i, f, c, o, a bias, no state carried in or out.
    func lstm() throws -> (units: Int, returnSequences: Bool, goBackwards: Bool) {
        guard className == "LSTM" else { throw refuse("only LSTM layers are supported here, not \(className)") }
        try requireFloat32()
        guard try activation() == .tanh else { throw refuse("activation must be tanh") }
        guard try activation("recurrent_activation") == .sigmoid else { throw refuse("recurrent_activation must be sigmoid") }
        try expect("use_bias", in: [true], "an LSTM without bias is not supported")
        try expect("return_state", in: [false], "return_state is not supported")
        try expect("stateful", in: [false], "stateful LSTMs are not supported")
        return (try int("units"), try bool("return_sequences", default: false), try bool("go_backwards", default: false))
    }

    /// Bidirectional(LSTM): the backward layer must mirror the forward one (as Keras builds it by default).
    private func bidirectional() throws -> LayerSpec {
        let forward = try nested("layer")
        guard forward.className == "LSTM" else { throw refuse("it wraps a \(forward.className) layer (only LSTM)") }
        let f = try inner(forward)
        if config["backward_layer"] != nil, !(config["backward_layer"] is NSNull) {
            let b = try inner(nested("backward_layer"))
            guard b.units == f.units, b.returnSequences == f.returnSequences, b.goBackwards != f.goBackwards else {
                throw refuse("its backward layer is not the mirror of the forward one")
            }
        }
        guard !f.goBackwards else { throw refuse("a forward layer with go_backwards is not supported") }
        let mode = string("merge_mode") ?? "concat"
        guard let merge = Bidirectional.MergeMode(rawValue: mode) else {
            throw refuse("merge_mode \"\(mode)\" (only sum, concat)")
        }
        return .bidirectional(units: f.units, returnSequences: f.returnSequences, merge: merge)
    }

    /// A wrapped LSTM's settings; its refusal told as this layer's.
    private func inner(_ layer: KerasLayer) throws -> (units: Int, returnSequences: Bool, goBackwards: Bool) {
        do { return try layer.lstm() } catch KerasImportError.unsupportedLayer(_, let className, let name, let why) {
            throw refuse("its \(className) \"\(name)\": \(why)")
        }
    }
}
