/// Conv2DTranspose on NHWC images, as Keras: kernel [kH, kW, F, C] (filters *before*
/// input channels), bias [F]; output `same` → in·stride, `valid` → in·stride + max(k − stride, 0).
///
/// It is the input gradient of the Conv2D that maps its output (OH×OW×F) back to its
/// input (H×W×C) with the same kernel, so forward is that conv's backward
/// (X·Wᵀ then col2im) and backward is that conv's forward (im2col of dY then GEMMs).
public final class Conv2DTranspose: ActivatedLayer {
    public let kind = "Conv2DTranspose"
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

    /// The geometry of the underlying conv: image = this layer's output, conv output = its input.
    let geometry: ConvGeometry
    private let inChannels: Int
    private var input: Tensor?
    /// X·Wᵀ in forward, im2col(dZ) in backward: both [N·H·W, kH·kW·F].
    private let cols = Tensor()
    private let output = Tensor()
    private let dz = Tensor()
    private let dInput = Tensor()

    public init(inputShape: [Int], filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
                padding: Padding, activation: Activation = .linear, rng: inout SeededRandom) throws {
        try checkConvArguments("Conv2DTranspose", inputShape, filters, kernelSize, strides)
        let rows = padding.transposedWindow(input: inputShape[0], kernel: kernelSize.0, stride: strides.0)
        let cols = padding.transposedWindow(input: inputShape[1], kernel: kernelSize.1, stride: strides.1)
        geometry = ConvGeometry(inH: rows.output, inW: cols.output, channels: filters,
                                kernelH: kernelSize.0, kernelW: kernelSize.1, strideH: strides.0, strideW: strides.1,
                                outH: inputShape[0], outW: inputShape[1], padTop: rows.before, padLeft: cols.before)
        self.inputShape = inputShape
        self.outputShape = [rows.output, cols.output, filters]
        self.activation = activation
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        inChannels = inputShape[2]
        kernel = Parameter(name: "kernel", shape: [kernelSize.0, kernelSize.1, filters, inChannels])
        bias = Parameter(name: "bias", shape: [filters])
        Initializer.glorotUniform(kernel.value, rng: &rng)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        input = x
        let n = x.batch, rows = n * geometry.outPixels, k = geometry.patchSize
        cols.resize([rows, k])
        // W viewed as [kH·kW·F, C]: cols = X·Wᵀ, one patch of output contributions per input pixel.
        gemm(transB: true, m: rows, n: k, k: inChannels, a: x.ptr, lda: inChannels,
             b: kernel.value.ptr, ldb: inChannels, c: cols.ptr, ldc: k)
        output.resize([n] + outputShape)
        Im2col.col2im(cols.ptr, batch: n, geometry, into: output.ptr)
        addBiasAndActivate(output.ptr, rows: n * outputShape[0] * outputShape[1], cols: filters,
                           bias: bias.value.ptr, activation)
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Conv2DTranspose.backward before forward") }
        let n = x.batch, rows = n * geometry.outPixels, k = geometry.patchSize
        let dz = activationGradient(dy, output: output, activation, into: self.dz)
        Elementwise.sumRows(dz, rows: n * outputShape[0] * outputShape[1], cols: filters, into: bias.grad.ptr)
        cols.resize([rows, k])
        Im2col.im2col(dz, batch: n, geometry, into: cols.ptr)
        gemm(transA: true, m: k, n: inChannels, k: rows, a: cols.ptr, lda: k, b: x.ptr, ldb: inChannels,
             c: kernel.grad.ptr, ldc: inChannels)
        dInput.resize(x.shape)
        gemm(m: rows, n: inChannels, k: k, a: cols.ptr, lda: k, b: kernel.value.ptr, ldb: inChannels,
             c: dInput.ptr, ldc: inChannels)
        return dInput
    }
}
