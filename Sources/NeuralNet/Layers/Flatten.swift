/// Flatten: [N, d1, d2, ...] → [N, d1·d2·...] in memory order. On NHWC images that is
/// Keras's (channels_last) flatten order.
public final class Flatten: Layer {
    public let kind = "Flatten"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }
    private let view: ShapeView

    public init(inputShape: [Int]) throws {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ShapeError("Flatten needs a non-empty input shape of positive sizes, got \(inputShape)")
        }
        self.inputShape = inputShape
        self.outputShape = [inputShape.reduce(1, *)]
        view = ShapeView(inputShape: inputShape, outputShape: outputShape)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor { view.forward(x) }
    public func backward(_ dy: Tensor) -> Tensor { view.backward(dy) }
}

/// The same values under another per-item shape. They are copied into buffers the layer
/// owns rather than reshaping the caller's tensor, whose shape its owner still relies on.
final class ShapeView {
    let inputShape: [Int]
    let outputShape: [Int]
    private let output = Tensor()
    private let dInput = Tensor()

    init(inputShape: [Int], outputShape: [Int]) {
        self.inputShape = inputShape
        self.outputShape = outputShape
    }

    func forward(_ x: Tensor) -> Tensor { copy(x, as: outputShape, into: output) }
    func backward(_ dy: Tensor) -> Tensor { copy(dy, as: inputShape, into: dInput) }

    private func copy(_ t: Tensor, as itemShape: [Int], into out: Tensor) -> Tensor {
        out.resize([t.batch] + itemShape)
        precondition(out.count == t.count, "expected items of shape \(itemShape), got \(t.shape)")
        out.ptr.update(from: t.ptr, count: t.count)
        return out
    }
}
