/// A trainable tensor and its gradient. `name` is the Keras weight name
/// (`kernel`, `recurrent_kernel`, `bias`), used in the model file.
public final class Parameter {
    public let name: String
    public let value: Tensor
    public let grad: Tensor

    public init(name: String, shape: [Int]) {
        self.name = name
        self.value = Tensor(shape: shape)
        self.grad = Tensor(shape: shape)
    }

    public var count: Int { value.count }
}
