/// Multiply-add work of a forward pass, counted as 2 FLOPs per multiply-add of the
/// layers' GEMMs (elementwise work is not counted). Training is about 3× this.
public enum FLOPs {
    public static func forwardPerSample(_ model: Sequential) -> Int {
        zip(model.architecture.layers, model.layers).reduce(0) { total, pair in
            let (spec, layer) = pair
            let input = layer.inputShape, out = layer.outputShape
            switch spec {
            case let .dense(units, _), let .timeDistributedDense(units, _):
                return total + 2 * (Tensor.elementCount(input) / input.last!) * input.last! * units
            case let .conv2D(f, k, _, _, _):
                return total + 2 * out[0] * out[1] * k[0] * k[1] * input[2] * f
            case let .conv2DTranspose(f, k, _, _, _):
                return total + 2 * input[0] * input[1] * k[0] * k[1] * input[2] * f
            case let .lstm(u, _):
                return total + 2 * input[0] * 4 * u * (input[1] + u)
            case let .bidirectional(u, _, _):
                return total + 2 * 2 * input[0] * 4 * u * (input[1] + u)
            case .maxPooling2D, .flatten, .reshape:
                return total
            }
        }
    }
}
