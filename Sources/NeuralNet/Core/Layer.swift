/// One layer of a sequential network.
///
/// Shapes exclude the batch axis. `forward` returns a buffer the layer owns (valid
/// until its next `forward`); `backward` takes dL/d(output), *overwrites* every
/// parameter's `grad` with dL/d(parameter) for this batch and returns dL/d(input).
/// `backward` must follow the `forward` of the same batch: layers keep what they need.
public protocol Layer: AnyObject {
    /// Keras class name, as printed in a model summary (`Dense`, `Conv2D`, ...).
    var kind: String { get }
    var inputShape: [Int] { get }
    var outputShape: [Int] { get }
    var parameters: [Parameter] { get }
    func forward(_ x: Tensor, training: Bool) -> Tensor
    func backward(_ dy: Tensor) -> Tensor
}

extension Layer {
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}

/// A layer whose last step is an elementwise activation. Sequential may run the last
/// layer linearly and fold its sigmoid into the loss (stable binary cross-entropy).
public protocol ActivatedLayer: Layer {
    var activation: Activation { get set }
}

/// A layer that shares its work between threads: `Sequential` gives it the model's parallelism.
public protocol ThreadedLayer: Layer {
    var parallelism: Parallelism { get set }
}

/// A layer that can skip computing dL/d(input). A model sets `needsInputGradient` to false
/// on its first layer, whose input is data: backward then returns a buffer of unspecified
/// contents.
public protocol InputGradientOptional: Layer {
    var needsInputGradient: Bool { get set }
}

/// Shape errors found while building a network, before any training.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
