/// Keras/TensorFlow padding modes for convolutions and pooling.
public enum Padding: String, Codable, Sendable {
    case same, valid

    /// Output length and leading padding along one axis of a convolution or pooling
    /// window (TensorFlow's rule). `same`: out = ⌈in/stride⌉, the window overhang
    /// total = max((out−1)·stride + k − in, 0) is split with total/2 before and the
    /// odd pixel after. `valid`: out = ⌊(in − k)/stride⌋ + 1, no padding.
    public func window(input: Int, kernel: Int, stride: Int) throws -> (output: Int, before: Int) {
        switch self {
        case .same:
            let output = (input + stride - 1) / stride
            return (output, Padding.leading(input: input, output: output, kernel: kernel, stride: stride))
        case .valid:
            guard input >= kernel else {
                throw ShapeError("valid window of \(kernel) does not fit an input of \(input)")
            }
            return ((input - kernel) / stride + 1, 0)
        }
    }

    /// Output length and leading padding along one axis of a transposed convolution.
    /// Keras's output length: `same` → in·stride, `valid` → in·stride + max(k − stride, 0)
    /// (= (in−1)·stride + k whenever k ≥ stride). The padding is the one TensorFlow uses
    /// for the convolution this one is the gradient of (output → input).
    public func transposedWindow(input: Int, kernel: Int, stride: Int) -> (output: Int, before: Int) {
        let output = self == .same ? input * stride : input * stride + max(kernel - stride, 0)
        return (output, Padding.leading(input: output, output: input, kernel: kernel, stride: stride))
    }

    /// total/2 of TensorFlow's overhang max((out−1)·stride + k − in, 0).
    static func leading(input: Int, output: Int, kernel: Int, stride: Int) -> Int {
        max((output - 1) * stride + kernel - input, 0) / 2
    }
}
