/// Conv2D on NHWC images, as Keras: kernel [kH, kW, C, F] (glorot_uniform), bias [F]
/// (zeros), TensorFlow `same`/`valid` padding. One im2col + one GEMM over the whole batch.
public final class Conv2D: ActivatedLayer {
    public let kind = "Conv2D"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var activation: Activation
    public let filters: Int
    public let kernelSize: (Int, Int)
    public let strides: (Int, Int)
    public let padding: Padding
    public let kernel: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [kernel, bias] }

    let geometry: ConvGeometry
    /// im2col of the input in forward; reused for dcols in backward (after dW needs it).
    private let cols = Tensor()
    private let output = Tensor()
    private let dz = Tensor()
    private let dInput = Tensor()

    public init(inputShape: [Int], filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
                padding: Padding, activation: Activation = .linear, rng: inout SeededRandom) throws {
        try checkConvArguments("Conv2D", inputShape, filters, kernelSize, strides)
        geometry = try ConvGeometry(image: inputShape, kernel: kernelSize, strides: strides, padding: padding)
        self.inputShape = inputShape
        self.outputShape = [geometry.outH, geometry.outW, filters]
        self.activation = activation
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        kernel = Parameter(name: "kernel", shape: [kernelSize.0, kernelSize.1, inputShape[2], filters])
        bias = Parameter(name: "bias", shape: [filters])
        Initializer.glorotUniform(kernel.value, rng: &rng)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let n = x.batch, rows = n * geometry.outPixels, k = geometry.patchSize
        cols.resize([rows, k])
        Im2col.im2col(x.ptr, batch: n, geometry, into: cols.ptr)
        output.resize([n] + outputShape)
        gemm(m: rows, n: filters, k: k, a: cols.ptr, lda: k, b: kernel.value.ptr, ldb: filters,
             c: output.ptr, ldc: filters)
        addBiasAndActivate(output.ptr, rows: rows, cols: filters, bias: bias.value.ptr, activation)
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let n = output.batch, rows = n * geometry.outPixels, k = geometry.patchSize
        let dz = activationGradient(dy, output: output, activation, into: self.dz)
        gemm(transA: true, m: k, n: filters, k: rows, a: cols.ptr, lda: k, b: dz, ldb: filters,
             c: kernel.grad.ptr, ldc: filters)
        Elementwise.sumRows(dz, rows: rows, cols: filters, into: bias.grad.ptr)
        // dcols = dZ·Wᵀ overwrites cols, which is no longer needed.
        gemm(transB: true, m: rows, n: k, k: filters, a: dz, lda: filters, b: kernel.value.ptr, ldb: filters,
             c: cols.ptr, ldc: k)
        dInput.resize([n] + inputShape)
        Im2col.col2im(cols.ptr, batch: n, geometry, into: dInput.ptr)
        return dInput
    }
}

/// Shared argument checks of Conv2D and Conv2DTranspose.
func checkConvArguments(_ kind: String, _ inputShape: [Int], _ filters: Int,
                        _ kernelSize: (Int, Int), _ strides: (Int, Int)) throws {
    guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
        throw ShapeError("\(kind) needs input (height, width, channels), got \(inputShape)")
    }
    guard filters > 0, kernelSize.0 > 0, kernelSize.1 > 0, strides.0 > 0, strides.1 > 0 else {
        throw ShapeError("\(kind) needs positive filters, kernel size and strides")
    }
}

/// y ← f(y + bias) row by row, so each row is still in cache when activated.
func addBiasAndActivate(_ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                        bias: UnsafePointer<Float>, _ activation: Activation) {
    // Blocks of rows keep the work per activation call large when cols is small (F = 1).
    let block = max(1, 4096 / cols)
    var r = 0
    while r < rows {
        let count = min(block, rows - r), p = y + r * cols
        Elementwise.addBias(p, rows: count, cols: cols, bias: bias)
        activation.apply(p, count * cols)
        r += count
    }
}

/// dL/dz from dL/dy through the activation; a linear layer passes dy through untouched.
func activationGradient(_ dy: Tensor, output: Tensor, _ activation: Activation,
                        into buffer: Tensor) -> UnsafeMutablePointer<Float> {
    if activation == .linear { return dy.ptr }
    buffer.resize(output.shape)
    activation.backward(dy: dy.ptr, y: output.ptr, dx: buffer.ptr, output.count)
    return buffer.ptr
}
