/// LSTM with Keras semantics: gates i, f, c, o along the 4·units axis, sigmoid gates,
/// tanh candidate and tanh on the cell for h, zero initial state.
/// kernel [features, 4u] (glorot_uniform), recurrent_kernel [u, 4u] (orthogonal),
/// bias [4u] zero except the forget block = 1 (unit_forget_bias).
///
/// Input [batch, steps, features]; output [batch, steps, u] with `returnSequences`, else
/// the last processed step [batch, u]. With `goBackwards` the sequence is processed from
/// the last step to the first and, as in Keras, the returned sequence is in processing
/// order (reversed in time).
///
/// The work is in two kernels: `LSTMTraining` (forward with a tape, and backward through
/// time) and `LSTMInference` (forward only).
public final class LSTM: InputGradientOptional {
    public let kind = "LSTM"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let units: Int
    public let returnSequences: Bool
    public let goBackwards: Bool
    public let kernel: Parameter
    public let recurrentKernel: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [kernel, recurrentKernel, bias] }

    /// False on a model's first layer: backward then skips dX.
    public var needsInputGradient = true

    private let steps: Int
    private let features: Int
    private let output = Tensor()
    private let dInput = Tensor()
    /// The forward with a tape and backward through time.
    private let training: LSTMTraining
    /// The forward without a tape, for `training: false`: scratch for each of two threads.
    /// Inference scratch, one per thread that runs part of a batch (see `reserveThreads`).
    private var inference: [LSTMInference]
    /// Whether the last forward kept what backward needs (a training forward).
    private var hasTape = false

    public init(inputShape: [Int], units: Int, returnSequences: Bool, goBackwards: Bool = false,
                paramPrefix: String = "", rng: inout SeededRandom) throws {
        guard inputShape.count == 2, inputShape.allSatisfy({ $0 > 0 }), units > 0 else {
            throw ShapeError("LSTM needs input (steps, features) and units > 0, got \(inputShape), units \(units)")
        }
        self.inputShape = inputShape
        self.steps = inputShape[0]
        self.features = inputShape[1]
        self.units = units
        self.returnSequences = returnSequences
        self.goBackwards = goBackwards
        self.outputShape = returnSequences ? [inputShape[0], units] : [units]
        kernel = Parameter(name: "\(paramPrefix)kernel", shape: [features, 4 * units])
        recurrentKernel = Parameter(name: "\(paramPrefix)recurrent_kernel", shape: [units, 4 * units])
        bias = Parameter(name: "\(paramPrefix)bias", shape: [4 * units])
        // Keras creates kernel, recurrent_kernel, bias in this order.
        Initializer.glorotUniform(kernel.value, rng: &rng)
        Initializer.orthogonal(recurrentKernel.value, rng: &rng)
        (bias.value.ptr + units).update(repeating: 1, count: units)
        let (steps, features) = (inputShape[0], inputShape[1])
        training = LSTMTraining(steps: steps, features: features, units: units, goBackwards: goBackwards)
        inference = [LSTMInference(steps: steps, features: features, units: units, goBackwards: goBackwards)]
    }

    /// Scratch for `threads` threads running `infer` at once; called before they start.
    func reserveThreads(_ threads: Int) {
        while inference.count < threads {
            inference.append(LSTMInference(steps: steps, features: features, units: units, goBackwards: goBackwards))
        }
    }

    // MARK: forward

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 3 && x.shape[1] == steps && x.shape[2] == features,
                     "LSTM expects [batch, \(steps), \(features)], got \(x.shape)")
        output.resize([x.batch] + outputShape)
        guard training else {
            dropTape()
            infer(x, samples: 0..<x.batch, part: 0)
            return output
        }
        hasTape = true
        self.training.forward(x, kernel: kernel.value, recurrentKernel: recurrentKernel.value, bias: bias.value,
                              returnSequences: returnSequences, into: output)
        return output
    }

    // MARK: inference, also in parts of a batch

    /// Marks the tape as gone, before `infer` runs on parts of a batch.
    func dropTape() { hasTape = false }

    /// The LSTM of `samples` of x into their rows of `output` (by default the layer's own,
    /// sized by the caller) as `placement` says, with the scratch of thread `part` (see `reserveThreads`).
    func infer(_ x: Tensor, samples: Range<Int>, part: Int, into output: Tensor? = nil,
               placement: LSTMInference.Placement? = nil) {
        precondition(x.shape.count == 3 && x.shape[1] == steps && x.shape[2] == features,
                     "LSTM.infer expects [batch, \(steps), \(features)], got \(x.shape)")
        inference[part].forward(x, samples: samples, kernel: kernel.value, recurrentKernel: recurrentKernel.value,
                                bias: bias.value, returnSequences: returnSequences, into: output ?? self.output,
                                placement: placement ?? .init(width: units))
    }

    // MARK: backward (through time)

    public func backward(_ dy: Tensor) -> Tensor {
        backward(dy, placement: .init(width: units))
    }

    /// Backward with dL/d(output) read from dy as `placement` says (Bidirectional's merged gradient).
    func backward(_ dy: Tensor, placement: LSTMInference.Placement) -> Tensor {
        precondition(hasTape && dy.batch == output.batch && dy.count == output.count / units * placement.width,
                     "LSTM.backward needs the gradient of its last training forward")
        if needsInputGradient { dInput.resize([dy.batch, steps, features]) }
        training.backward(dy, placement: placement, kernel: kernel, recurrentKernel: recurrentKernel, bias: bias,
                          returnSequences: returnSequences, dInput: needsInputGradient ? dInput : nil)
        return dInput
    }
}
