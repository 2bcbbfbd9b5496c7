/// Dense: y = f(x·W + b) on the last axis. On 3-D input [batch, steps, features] it
/// applies the same weights at every step, which is Keras's TimeDistributed(Dense).
/// kernel [in, units] (Keras layout), bias [units].
public final class Dense: ActivatedLayer {
    public let kind = "Dense"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var activation: Activation
    public let kernel: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [kernel, bias] }

    private let inFeatures: Int
    private let units: Int
    private var input: Tensor?
    private let output = Tensor()
    private let dz = Tensor()
    private let dInput = Tensor()

    public init(inputShape: [Int], units: Int, activation: Activation = .linear, rng: inout SeededRandom) throws {
        guard let last = inputShape.last, inputShape.count <= 2, last > 0, units > 0 else {
            throw ShapeError("Dense needs input (features) or (steps, features), got \(inputShape)")
        }
        self.inputShape = inputShape
        self.outputShape = inputShape.dropLast() + [units]
        self.activation = activation
        self.inFeatures = last
        self.units = units
        kernel = Parameter(name: "kernel", shape: [last, units])
        bias = Parameter(name: "bias", shape: [units])
        Initializer.glorotUniform(kernel.value, rng: &rng)
    }

    /// Rows of the GEMM: every (sample, step) pair.
    private func rows(_ x: Tensor) -> Int { x.count / inFeatures }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        input = x
        let m = rows(x)
        output.resize([x.batch] + outputShape)
        // In inference, rows split over our two threads rather than OpenBLAS's: its workers
        // keep spinning after a threaded call and take a core from the next layer's threads
        // (an LSTM's directions), which halved the lstm preset's inference. Training keeps
        // OpenBLAS's split, whose sums a row split does not reproduce bit for bit.
        BatchHalves.run(batch: m, work: training ? 0 : m * inFeatures) { rows, _ in
            let x = x.ptr + rows.lowerBound * inFeatures, y = output.ptr + rows.lowerBound * units
            gemm(m: rows.count, n: units, k: inFeatures, a: x, lda: inFeatures,
                 b: kernel.value.ptr, ldb: units, c: y, ldc: units)
            Elementwise.addBias(y, rows: rows.count, cols: units, bias: bias.value.ptr)
            activation.apply(y, rows.count * units)
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Dense.backward before forward") }
        let m = rows(x)
        dz.resize(output.shape)
        activation.backward(dy: dy.ptr, y: output.ptr, dx: dz.ptr, output.count)
        let dz = self.dz.ptr
        gemm(transA: true, m: inFeatures, n: units, k: m, a: x.ptr, lda: inFeatures,
             b: dz, ldb: units, c: kernel.grad.ptr, ldc: units)
        Elementwise.sumRows(dz, rows: m, cols: units, into: bias.grad.ptr)
        dInput.resize(x.shape)
        gemm(transB: true, m: m, n: inFeatures, k: units, a: dz, lda: units,
             b: kernel.value.ptr, ldb: units, c: dInput.ptr, ldc: inFeatures)
        return dInput
    }
}
