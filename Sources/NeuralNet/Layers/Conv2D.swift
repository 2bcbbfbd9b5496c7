/// Conv2D on NHWC images, as Keras: kernel [kH, kW, C, F] (glorot_uniform), bias [F]
/// (zeros), TensorFlow `same`/`valid` padding. im2col + one GEMM per chunk of the batch.
public final class Conv2D: ActivatedLayer, InputGradientOptional, ThreadedLayer {
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
    /// False on a model's first layer: backward then skips dX (about half its work).
    public var needsInputGradient = true
    public var parallelism = Parallelism.serial

    let geometry: ConvGeometry
    /// Column floats per chunk of images; tests shrink it to exercise several chunks.
    var chunkElements = Im2col.chunkElements
    private var input: Tensor?
    /// im2col of one chunk of images, one buffer per thread; reused for dcols in backward.
    private let cols = PerThread()
    private let output = Tensor()
    private let dz = Tensor()
    private let dInput = Tensor()
    /// Each piece's partial dW (see BatchPieces).
    private let dKernelParts = Tensor()
    /// Which kernels compute this layer (chosen from its shapes; tests assign others).
    public var algorithm: ConvAlgorithm
    private var direct: Bool { algorithm.kernel == .padded }
    /// One input channel (a first layer): the direct kernels of SingleChannelConv.
    private var singleChannel: Bool { algorithm.kernel == .singleChannel }
    /// The direct path's padded geometry, padded kernel and per-thread buffers.
    let padded: PaddedConv
    let singleChannelConv: SingleChannelConv
    private let paddedKernel = Tensor()
    private let paddedImages = PerThread()
    /// Per-thread dz of one image, padded to 16 filters (single-channel path).
    private let paddedGradients = PerThread()
    /// One filter, stride 1 (the presets' last layers): dX is a conv of the one-channel dZ
    /// with the flipped kernel (see EquivalentConv), which the single-channel kernels compute
    /// straight into dX; the scatter path zeroes, scatters into and crops a padded image.
    let singleFilterInputGradient: (flip: EquivalentConv, conv: SingleChannelConv)?
    private let flippedKernel = Tensor()
    private let zeroBias = Tensor(shape: [SingleChannelConv.lanes])

    public init(inputShape: [Int], filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
                padding: Padding, activation: Activation = .linear, rng: inout SeededRandom) throws {
        try checkConvArguments("Conv2D", inputShape, filters, kernelSize, strides)
        geometry = try ConvGeometry(image: inputShape, kernel: kernelSize, strides: strides, padding: padding)
        padded = PaddedConv(geometry, filters: filters)
        singleChannelConv = SingleChannelConv(padded)
        let flip = EquivalentConv(transposed: geometry, inputShape: [geometry.outH, geometry.outW, filters],
                                  filters: inputShape[2])
        if let flip, SingleChannelConv.suits(channels: filters, filters: inputShape[2]) {
            singleFilterInputGradient = (flip, SingleChannelConv(PaddedConv(flip.geometry, filters: inputShape[2])))
        } else {
            singleFilterInputGradient = nil
        }
        algorithm = ConvAlgorithm.forConv2D(channels: inputShape[2], filters: filters)
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

    /// Y = f(cols × W + b), cols = im2col(X); the batch's pieces on the layer's threads, chunk
    /// by chunk of images (see Im2col.chunkElements).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        input = x
        let g = geometry, k = g.patchSize, rowsPerImage = g.outPixels
        output.resize([x.batch] + outputShape)
        if singleChannel {
            singleChannelForward(x)
            return output
        }
        if direct {
            directForward(x)
            return output
        }
        let colsByThread = cols.of(parallelism)
        BatchPieces(batch: x.batch).forEach(on: parallelism, work: x.batch * rowsPerImage * k) { piece, _, thread in
            let cols = colsByThread[thread]
            Im2col.forEachChunk(piece, g, elements: chunkElements) { images in
                let rows = images.count * rowsPerImage, y = output.ptr + images.lowerBound * rowsPerImage * filters
                cols.resize([rows, k])
                Im2col.im2col(x.ptr + images.lowerBound * g.imageSize, batch: images.count, g, into: cols.ptr)
                if training {
                    gemm(m: rows, n: filters, k: k, a: cols.ptr, lda: k, b: kernel.value.ptr, ldb: filters, c: y, ldc: filters)
                } else {  // a pixel's output must not depend on the batch it is in (see stableGEMM)
                    stableGEMM(m: rows, n: filters, k: k, a: cols.ptr, lda: k, b: kernel.value.ptr, ldb: filters, c: y, ldc: filters)
                }
                addBiasAndActivate(y, rows: rows, cols: filters, bias: bias.value.ptr, activation)
            }
        }
        return output
    }

    /// dW = colsᵀ·dZ (summed over chunks), db = Σ dZ, dX = col2im(dZ·Wᵀ). The chunk's cols
    /// are rebuilt from X: cheaper than keeping the whole batch's columns in memory.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Conv2D.backward before forward") }
        dInput.resize(x.shape)
        if singleChannel {
            singleChannelBackward(x, dy)
            return dInput
        }
        let dz = activationGradient(dy, output: output, activation, into: self.dz)
        Elementwise.sumRows(dz, rows: x.batch * geometry.outPixels, cols: filters, into: bias.grad.ptr)
        if direct {
            directBackward(x, dz)
        } else {
            gemmBackward(x, dz)
        }
        return dInput
    }

    /// Each piece of the batch sums its own dW; the pieces' sums are added in order at the end.
    private func gemmBackward(_ x: Tensor, _ dz: UnsafeMutablePointer<Float>) {
        let g = geometry, k = g.patchSize, rowsPerImage = g.outPixels, size = kernel.count
        let pieces = BatchPieces(batch: x.batch), colsByThread = cols.of(parallelism)
        dKernelParts.resize([pieces.count, size])
        dKernelParts.zero()
        pieces.forEach(on: parallelism, work: x.batch * rowsPerImage * k) { piece, index, thread in
            let cols = colsByThread[thread], dw = dKernelParts.ptr + index * size
            Im2col.forEachChunk(piece, g, elements: chunkElements) { images in
                let rows = images.count * rowsPerImage, dzChunk = dz + images.lowerBound * rowsPerImage * filters
                cols.resize([rows, k])
                Im2col.im2col(x.ptr + images.lowerBound * g.imageSize, batch: images.count, g, into: cols.ptr)
                gemm(transA: true, m: k, n: filters, k: rows, a: cols.ptr, lda: k, b: dzChunk, ldb: filters,
                     beta: 1, c: dw, ldc: filters)
                guard needsInputGradient else { return }
                gemm(transB: true, m: rows, n: k, k: filters, a: dzChunk, lda: filters, b: kernel.value.ptr,
                     ldb: filters, c: cols.ptr, ldc: k)
                Im2col.col2im(cols.ptr, batch: images.count, g, into: dInput.ptr + images.lowerBound * g.imageSize)
            }
        }
        BatchPieces.sum(dKernelParts.ptr, pieces: pieces.count, size: size, into: kernel.grad.ptr)
    }

    /// With few channels and filters the GEMMs are too narrow for BLAS, so the direct
    /// kernels of PaddedConv run instead, image by image.
    private func directForward(_ x: Tensor) {
        let p = padded, b = bias.value.ptr, y = output.ptr, outFloats = geometry.outPixels * filters
        paddedKernel.resize([p.kernelFloats])
        p.padKernel(kernel.value.ptr, into: paddedKernel.ptr)
        let imagesByThread = paddedImages.of(parallelism)
        BatchPieces(batch: x.batch).forEach(on: parallelism, work: x.batch * geometry.outPixels * geometry.patchSize) { piece, _, thread in
            let xp = imagesByThread[thread]
            xp.resize([p.imageFloats])
            for n in piece {
                p.pad(x.ptr + n * geometry.imageSize, into: xp.ptr)
                p.correlate(xp.ptr, paddedKernel.ptr, bias: b, into: y + n * outFloats)
                activation.apply(y + n * outFloats, outFloats)
            }
        }
    }

    /// dW = Σ dz·window (per piece, then added), dX = crop(Σ dz·W scattered over the windows).
    private func directBackward(_ x: Tensor, _ dz: UnsafeMutablePointer<Float>) {
        let p = padded, size = p.kernelFloats, needsDx = needsInputGradient
        let flipped = algorithm.inputGradientShortcut ? singleFilterInputGradient : nil
        if let (flip, s) = flipped {
            flippedKernel.resize([s.forwardKernelFloats])
            s.packForward(flip.kernel(of: kernel.value), into: flippedKernel.ptr)
        } else {
            paddedKernel.resize([size])
            p.padKernel(kernel.value.ptr, into: paddedKernel.ptr)
        }
        let pieces = BatchPieces(batch: x.batch), imagesByThread = paddedImages.of(parallelism)
        dKernelParts.resize([pieces.count, size])
        dKernelParts.zero()
        let parts = dKernelParts.ptr, g = geometry
        pieces.forEach(on: parallelism, work: x.batch * g.outPixels * g.patchSize) { half, index, thread in
            let xp = imagesByThread[thread], dw = parts + index * size
            xp.resize([2, max(p.imageFloats, flipped?.conv.p.imageFloats ?? 0)])
            let dxp = xp.ptr + xp.count / 2
            for n in half {
                p.pad(x.ptr + n * g.imageSize, into: xp.ptr)
                let dzImage = dz + n * g.outPixels * filters
                p.accumulateKernelGradient(xp.ptr, dzImage, into: dw)
                guard needsDx else { continue }
                if let (_, s) = flipped {
                    s.p.pad(dzImage, into: dxp)
                    s.correlate(dxp, flippedKernel.ptr, bias: zeroBias.ptr, into: dInput.ptr + n * g.imageSize)
                    continue
                }
                dxp.update(repeating: 0, count: p.imageFloats)
                p.scatter(dzImage, paddedKernel.ptr, into: dxp)
                p.crop(dxp, into: dInput.ptr + n * g.imageSize)
            }
        }
        p.unpadKernel(parts, count: pieces.count, into: kernel.grad.ptr)
    }
}

extension Conv2D {
    /// The single-channel direct path, activation applied per image while it is still in cache.
    private func singleChannelForward(_ x: Tensor) {
        let s = singleChannelConv, p = padded, y = output.ptr, outFloats = geometry.outPixels * filters
        let fused = s.fusesActivation(activation)
        paddedKernel.resize([s.forwardKernelFloats])
        s.packForward(kernel.value.ptr, into: paddedKernel.ptr)
        let imagesByThread = paddedImages.of(parallelism)
        BatchPieces(batch: x.batch).forEach(on: parallelism, work: x.batch * geometry.outPixels * geometry.patchSize) { piece, _, thread in
            let xp = imagesByThread[thread]
            xp.resize([p.imageFloats])
            for n in piece {
                p.pad(x.ptr + n * geometry.imageSize, into: xp.ptr)
                s.correlate(xp.ptr, paddedKernel.ptr, bias: bias.value.ptr, into: y + n * outFloats, relu: fused)
                if !fused { activation.apply(y + n * outFloats, outFloats) }
            }
        }
    }

    /// dz, dW and db per piece of the batch, image by image (then the pieces' dW and db are added); dX,
    /// when asked for, scattered into a padded image and cropped.
    private func singleChannelBackward(_ x: Tensor, _ dy: Tensor) {
        let s = singleChannelConv, p = padded, size = s.partFloats, g = geometry, outFloats = g.outPixels * filters
        let needsDx = needsInputGradient, activation = self.activation
        paddedKernel.resize([s.kernelFloats])
        s.padKernel(kernel.value.ptr, into: paddedKernel.ptr)
        let pieces = BatchPieces(batch: x.batch)
        let imagesByThread = paddedImages.of(parallelism), gradientsByThread = paddedGradients.of(parallelism)
        dKernelParts.resize([pieces.count, size])
        dKernelParts.zero()
        let parts = dKernelParts.ptr
        pieces.forEach(on: parallelism, work: x.batch * g.outPixels * g.patchSize) { half, index, thread in
            let xp = imagesByThread[thread], dzp = gradientsByThread[thread], dw = parts + index * size
            // dZ one image at a time, in cache until padGradient reads it (not a batch-sized tensor).
            xp.resize([2 * p.imageFloats + outFloats])
            dzp.resize([g.outPixels, SingleChannelConv.lanes])
            let dxp = xp.ptr + p.imageFloats, dzScratch = dxp + p.imageFloats
            for n in half {
                var dzImage = dy.ptr + n * outFloats
                if activation != .linear {
                    activation.backward(dy: dzImage, y: output.ptr + n * outFloats, dx: dzScratch, outFloats)
                    dzImage = dzScratch
                }
                p.pad(x.ptr + n * g.imageSize, into: xp.ptr)
                s.padGradient(dzImage, into: dzp.ptr, biasGradient: dw + s.kernelFloats)
                s.accumulateKernelGradient(xp.ptr, dzp.ptr, into: dw)
                guard needsDx else { continue }
                dxp.update(repeating: 0, count: p.imageFloats)
                s.scatter(dzp.ptr, paddedKernel.ptr, into: dxp)
                p.crop(dxp, into: dInput.ptr + n * g.imageSize)
            }
        }
        s.unpadGradients(parts, count: pieces.count, kernel: kernel.grad.ptr, bias: bias.grad.ptr)
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
