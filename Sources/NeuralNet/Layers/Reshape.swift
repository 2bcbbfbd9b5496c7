/// Reshape: the same values, in the same order, under a new per-item shape (Keras's
/// Reshape; no −1 wildcard: the target shape is given in full).
public final class Reshape: Layer {
    public let kind = "Reshape"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }
    private let view: ShapeView

    public init(inputShape: [Int], targetShape: [Int]) throws {
        guard !inputShape.isEmpty, !targetShape.isEmpty, targetShape.allSatisfy({ $0 > 0 }), inputShape.allSatisfy({ $0 > 0 }),
              inputShape.reduce(1, *) == targetShape.reduce(1, *) else {
            throw ShapeError("cannot reshape \(inputShape) to \(targetShape): element counts differ")
        }
        self.inputShape = inputShape
        self.outputShape = targetShape
        view = ShapeView(inputShape: inputShape, outputShape: targetShape)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor { view.forward(x) }
    public func backward(_ dy: Tensor) -> Tensor { view.backward(dy) }
}
