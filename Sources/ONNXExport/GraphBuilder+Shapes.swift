import ONNX

/// The layout and reduction steps the network and score graphs share.
extension GraphBuilder {
    func transpose(_ x: String, _ perm: [Int]) -> String {
        op("Transpose", x, attributes: [Attribute.ints("perm", perm)])
    }

    /// `x` as [batch] + `shape` (the batch axis kept as it is).
    func reshape(_ x: String, toItemShape shape: [Int]) -> String {
        op("Reshape", x, int64s([-1] + shape))
    }

    /// [batch, everything else].
    func flattenItems(_ x: String) -> String { op("Reshape", x, int64s([0, -1])) }

    /// Channels-last [N, H, W, C] ↔ ONNX's channels-first [N, C, H, W].
    func toChannelsFirst(_ x: String) -> String { transpose(x, [0, 3, 1, 2]) }
    func toChannelsLast(_ x: String) -> String { transpose(x, [0, 2, 3, 1]) }

    /// Per-sample mean over every value of `x` ([N, …] → [N]).
    func meanPerSample(_ x: String) -> String {
        op("ReduceMean", flattenItems(x), attributes: [Attribute.ints("axes", [1]), Attribute.int("keepdims", 0)])
    }

    /// Per-sample sum over every value of `x` ([N, …] → [N]); ReduceSum takes its axes as an input from opset 13.
    func sumPerSample(_ x: String) -> String {
        op("ReduceSum", flattenItems(x), int64s([1]), attributes: [Attribute.int("keepdims", 0)])
    }

    func square(_ x: String) -> String { op("Mul", x, x) }

    func toDouble(_ x: String) -> String {
        op("Cast", x, attributes: [Attribute.int("to", Onnx_TensorProto.DataType.double.rawValue)])
    }

    /// `x[..., range, ...]` along `axis`, in reverse order.
    func reversed(_ x: String, axis: Int, _ range: Range<Int>) -> String {
        // With a negative step the end is exclusive and clamped to −1; a very negative end reaches index 0.
        let end = range.lowerBound == 0 ? Int.min + 1 : range.lowerBound - 1
        return op("Slice", x, int64s([range.upperBound - 1]), int64s([end]), int64s([axis]), int64s([-1]))
    }

    /// `x[..., range, ...]` along `axis`.
    func slice(_ x: String, axis: Int, _ range: Range<Int>) -> String {
        op("Slice", x, int64s([range.lowerBound]), int64s([range.upperBound]), int64s([axis]))
    }
}
