/// Conv2DTranspose on NHWC images, as Keras: kernel [kH, kW, F, C] (filters *before*
/// input channels), bias [F]; output `same` → in·stride, `valid` → in·stride + max(k − stride, 0).
///
/// It is the input gradient of the Conv2D that maps its output (OH×OW×F) back to its
/// input (H×W×C) with the same kernel, so forward is that conv's backward
/// (X·Wᵀ then col2im) and backward is that conv's forward (im2col of dY then GEMMs).
public final class Conv2DTranspose: ActivatedLayer, ThreadedLayer {
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
    public var parallelism = Parallelism.serial

    /// The geometry of the underlying conv: image = this layer's output, conv output = its input.
    let geometry: ConvGeometry
    /// Column floats per chunk of images; tests shrink it to exercise several chunks.
    var chunkElements = Im2col.chunkElements
    private let inChannels: Int
    private var input: Tensor?
    /// One chunk's X·Wᵀ in forward, its im2col(dZ) in backward: both [images·H·W, kH·kW·F].
    /// One buffer per thread.
    private let cols = PerThread()
    private let kernelT = Tensor()
    /// Each piece's partial dW (see BatchPieces).
    private let dKernelParts = Tensor()
    /// Each piece's partial db (direct path).
    private let biasParts = Tensor()
    private let output = Tensor()
    private let dz = Tensor()
    private let dInput = Tensor()
    /// Which kernels compute this layer (chosen from its shapes; tests assign others).
    public var algorithm: ConvAlgorithm
    private var direct: Bool { algorithm.kernel == .padded }
    /// The direct path's padded geometry, padded kernel and per-thread padded images.
    let padded: PaddedConv
    private let paddedKernel = Tensor()
    private let paddedImages = PerThread()
    /// Stride 1 only: this layer as a Conv2D (see EquivalentConv), whose input gradient, a
    /// scatter, is our dX — several times faster than correlating the padded dZ.
    let equivalent: EquivalentConv?
    private let equivalentPadded: PaddedConv?
    /// Stride 1 with several channels in and out: the planar kernels for all three products,
    /// forward as the equivalent conv, dX and dW as the underlying one.
    let planar: (forward: PlanarConv, backward: PlanarConv)?
    private var usesPlanar: Bool { (algorithm.kernel == .planar || algorithm.kernel == .planarWinograd) && planar != nil }
    private func winograd(_ p: PlanarConv) -> Bool { algorithm.kernel == .planarWinograd && p.suitsWinograd }
    private let packedKernel = Tensor()
    private let planarBuffers = PerThread()

    public init(inputShape: [Int], filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
                padding: Padding, activation: Activation = .linear, rng: inout SeededRandom) throws {
        try checkConvArguments("Conv2DTranspose", inputShape, filters, kernelSize, strides)
        let rows = padding.transposedWindow(input: inputShape[0], kernel: kernelSize.0, stride: strides.0)
        let cols = padding.transposedWindow(input: inputShape[1], kernel: kernelSize.1, stride: strides.1)
        geometry = ConvGeometry(inH: rows.output, inW: cols.output, channels: filters,
                                kernelH: kernelSize.0, kernelW: kernelSize.1, strideH: strides.0, strideW: strides.1,
                                outH: inputShape[0], outW: inputShape[1], padTop: rows.before, padLeft: cols.before)
        padded = PaddedConv(geometry, filters: inputShape[2])
        let equivalent = EquivalentConv(transposed: geometry, inputShape: inputShape, filters: filters)
        self.equivalent = equivalent
        equivalentPadded = equivalent.map { PaddedConv($0.geometry, filters: filters) }
        if let e = equivalent, PlanarConv.suits(e.geometry, filters: filters),
           PlanarConv.suits(geometry, filters: inputShape[2]) {
            planar = (PlanarConv(e.geometry, filters: filters), PlanarConv(geometry, filters: inputShape[2]))
        } else {
            planar = nil
        }
        algorithm = ConvAlgorithm.forConv2DTranspose(planar: planar, filters: filters, inChannels: inputShape[2])
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

    /// Y = f(col2im(X·Wᵀ) + b), chunk by chunk of images (see Im2col.chunkElements).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        input = x
        let g = geometry, k = g.patchSize, rowsPerImage = g.outPixels, outItem = g.imageSize
        output.resize([x.batch] + outputShape)
        if usesPlanar {
            planarForward(x)
            return output
        }
        if direct {
            directForward(x)
            return output
        }
        let weightsT = training ? nil : transposedKernel()
        let colsByThread = cols.of(parallelism)
        BatchPieces(batch: x.batch).forEach(on: parallelism, work: x.batch * rowsPerImage * k) { piece, _, thread in
            let cols = colsByThread[thread]
            Im2col.forEachChunk(piece, g, elements: chunkElements) { images in
                let rows = images.count * rowsPerImage, y = output.ptr + images.lowerBound * outItem
                cols.resize([rows, k])
                // W viewed as [kH·kW·F, C]: X·Wᵀ gives each input pixel's patch of output contributions.
                let a = x.ptr + images.lowerBound * rowsPerImage * inChannels
                if training {
                    gemm(transB: true, m: rows, n: k, k: inChannels, a: a, lda: inChannels, b: kernel.value.ptr, ldb: inChannels,
                         c: cols.ptr, ldc: k)
                } else {  // a pixel's output must not depend on the batch it is in (see stableGEMM)
                    stableGEMM(m: rows, n: k, k: inChannels, a: a, lda: inChannels, b: weightsT!, ldb: k, c: cols.ptr, ldc: k)
                }
                Im2col.col2im(cols.ptr, batch: images.count, g, into: y)
                addBiasAndActivate(y, rows: images.count * outItem / filters, cols: filters, bias: bias.value.ptr,
                                   activation)
            }
        }
        return output
    }

    /// Wᵀ as [C, kH·kW·F], for the inference GEMM (which takes B untransposed).
    private func transposedKernel() -> UnsafePointer<Float> {
        let k = geometry.patchSize
        kernelT.resize([inChannels, k])
        for r in 0..<k { for c in 0..<inChannels { kernelT.ptr[c * k + r] = kernel.value.ptr[r * inChannels + c] } }
        return UnsafePointer(kernelT.ptr)
    }

    /// cols = im2col(dZ); dW = colsᵀ·X (summed over chunks), dX = cols·W, db = Σ dZ.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Conv2DTranspose.backward before forward") }
        let g = geometry, k = g.patchSize, rowsPerImage = g.outPixels
        dInput.resize(x.shape)
        if usesPlanar {
            planarBackward(x, dy)
            return dInput
        }
        if direct {
            directBackward(x, dy)
            return dInput
        }
        let dz = activationGradient(dy, output: output, activation, into: self.dz)
        Elementwise.sumRows(dz, rows: output.count / filters, cols: filters, into: bias.grad.ptr)
        let size = kernel.count
        let pieces = BatchPieces(batch: x.batch), colsByThread = cols.of(parallelism)
        dKernelParts.resize([pieces.count, size])
        dKernelParts.zero()
        pieces.forEach(on: parallelism, work: x.batch * rowsPerImage * k) { piece, index, thread in
            let cols = colsByThread[thread], dw = dKernelParts.ptr + index * size
            Im2col.forEachChunk(piece, g, elements: chunkElements) { images in
                let rows = images.count * rowsPerImage, first = images.lowerBound * rowsPerImage * inChannels
                cols.resize([rows, k])
                Im2col.im2col(dz + images.lowerBound * g.imageSize, batch: images.count, g, into: cols.ptr)
                gemm(transA: true, m: k, n: inChannels, k: rows, a: cols.ptr, lda: k, b: x.ptr + first,
                     ldb: inChannels, beta: 1, c: dw, ldc: inChannels)
                gemm(m: rows, n: inChannels, k: k, a: cols.ptr, lda: k, b: kernel.value.ptr, ldb: inChannels,
                     c: dInput.ptr + first, ldc: inChannels)
            }
        }
        BatchPieces.sum(dKernelParts.ptr, pieces: pieces.count, size: size, into: kernel.grad.ptr)
        return dInput
    }

    /// With few channels the direct kernels of the underlying conv (PaddedConv) replace
    /// GEMM + col2im. Forward scatters each input pixel's values times the kernel into a
    /// padded output image, then crops it.
    private func directForward(_ x: Tensor) {
        let p = padded, g = geometry
        paddedKernel.resize([p.kernelFloats])
        p.padKernel(kernel.value.ptr, into: paddedKernel.ptr)
        let imagesByThread = paddedImages.of(parallelism)
        BatchPieces(batch: x.batch).forEach(on: parallelism, work: x.batch * g.outPixels * g.patchSize) { piece, _, thread in
            let yp = imagesByThread[thread]
            yp.resize([p.imageFloats])
            for n in piece {
                yp.zero()
                p.scatter(x.ptr + n * g.outPixels * inChannels, paddedKernel.ptr, into: yp.ptr)
                // Bias and activation per image, while it is still in cache.
                p.crop(yp.ptr, into: output.ptr + n * g.imageSize)
                addBiasAndActivate(output.ptr + n * g.imageSize, rows: g.imageSize / filters, cols: filters,
                                   bias: bias.value.ptr, activation)
            }
        }
    }

    /// dW = Σ x·window of padded dZ (per piece, then added); dX = the underlying conv of
    /// padded dZ, or with stride 1 the equivalent conv's scatter of dZ.
    private func directBackward(_ x: Tensor, _ dy: Tensor) {
        let p = padded, g = geometry, size = p.kernelFloats, activation = self.activation
        let e = algorithm.inputGradientShortcut ? equivalentPadded : nil
        paddedKernel.resize([e?.kernelFloats ?? size])
        if let e, let equivalent {
            e.padKernel(equivalent.kernel(of: kernel.value), into: paddedKernel.ptr)
        } else {
            p.padKernel(kernel.value.ptr, into: paddedKernel.ptr)
        }
        let pieces = BatchPieces(batch: x.batch), imagesByThread = paddedImages.of(parallelism)
        dKernelParts.resize([pieces.count, size])
        dKernelParts.zero()
        biasParts.resize([pieces.count, filters])
        biasParts.zero()
        dz.resize(output.shape)
        let parts = dKernelParts.ptr
        pieces.forEach(on: parallelism, work: x.batch * g.outPixels * g.patchSize) { half, index, thread in
            let buffers = imagesByThread[thread], dw = parts + index * size
            buffers.resize([p.imageFloats + (e?.imageFloats ?? 0)])
            let dzp = buffers.ptr, dxp = buffers.ptr + p.imageFloats
            for n in half {
                let at = n * g.imageSize, first = n * g.outPixels * inChannels
                var dzImage = dy.ptr + at
                if activation != .linear {
                    activation.backward(dy: dzImage, y: output.ptr + at, dx: dz.ptr + at, g.imageSize)
                    dzImage = dz.ptr + at
                }
                Elementwise.addRowSums(dzImage, rows: g.inH * g.inW, cols: filters, into: biasParts.ptr + index * filters)
                p.pad(dzImage, into: dzp)
                p.accumulateKernelGradient(dzp, x.ptr + first, into: dw)
                if let e {
                    dxp.update(repeating: 0, count: e.imageFloats)
                    e.scatter(dzImage, paddedKernel.ptr, into: dxp)
                    e.crop(dxp, into: dInput.ptr + first)
                } else {
                    p.correlate(dzp, paddedKernel.ptr, bias: nil, into: dInput.ptr + first)
                }
            }
        }
        p.unpadKernel(parts, count: pieces.count, into: kernel.grad.ptr)
        BatchPieces.sum(biasParts.ptr, pieces: pieces.count, size: filters, into: bias.grad.ptr)
    }
}

extension Conv2DTranspose {
    /// Y = f(the equivalent conv of X + b), image by image on planar copies.
    private func planarForward(_ x: Tensor) {
        guard let (e, _) = planar, let equivalent else { return }
        let g = geometry, outFloats = g.imageSize
        let fast = winograd(e)
        packedKernel.resize([e.kernelFloats(winograd: fast)])
        e.pack(equivalent.kernel(of: kernel.value), into: packedKernel.ptr, winograd: fast)
        let buffersByThread = planarBuffers.of(parallelism)
        BatchPieces(batch: x.batch).forEach(on: parallelism, work: x.batch * g.outPixels * g.patchSize) { half, _, thread in
            let buffers = buffersByThread[thread]
            buffers.resize([e.inputFloats + e.outputFloats])
            let xp = buffers.ptr, yp = buffers.ptr + e.inputFloats
            for n in half {
                let y = output.ptr + n * outFloats
                e.padInput(x.ptr + n * g.outPixels * inChannels, into: xp)
                e.correlate(xp, packedKernel.ptr, into: yp, winograd: fast)
                e.addBiasAndActivate(yp, bias: bias.value.ptr, activation)
                e.outputImage(yp, into: y)
            }
        }
    }

    /// dZ through the activation and db per image; dX = the underlying conv of dZ (its
    /// kernel is ours as it is); dW = Σ dZ window·x. dW and db per piece, then added.
    private func planarBackward(_ x: Tensor, _ dy: Tensor) {
        guard let (_, u) = planar else { return }
        let g = geometry, size = kernel.count, part = size + filters, activation = self.activation
        let fast = winograd(u)
        packedKernel.resize([u.kernelFloats(winograd: fast)])
        u.pack(kernel.value.ptr, into: packedKernel.ptr, winograd: fast)
        let pieces = BatchPieces(batch: x.batch), buffersByThread = planarBuffers.of(parallelism)
        dKernelParts.resize([pieces.count, part])
        dKernelParts.zero()
        let parts = dKernelParts.ptr
        pieces.forEach(on: parallelism, work: x.batch * g.outPixels * g.patchSize) { half, index, thread in
            let buffers = buffersByThread[thread], dw = parts + index * part
            // dZ one image at a time, in cache until padInput reads it (not a batch-sized tensor).
            buffers.resize([u.inputFloats + 2 * u.outputFloats + g.imageSize])
            let dzp = buffers.ptr, dxp = dzp + u.inputFloats, xp = dxp + u.outputFloats, dzScratch = xp + u.outputFloats
            for n in half {
                let first = n * g.outPixels * inChannels, at = n * g.imageSize
                var dzImage = dy.ptr + at
                if activation != .linear {
                    activation.backward(dy: dzImage, y: output.ptr + at, dx: dzScratch, g.imageSize)
                    dzImage = dzScratch
                }
                u.padInput(dzImage, into: dzp)
                u.addChannelSums(dzp, into: dw + size)
                u.correlate(dzp, packedKernel.ptr, into: dxp, winograd: fast)
                u.outputImage(dxp, into: dInput.ptr + first)
                u.outputPlanes(x.ptr + first, into: xp)
                u.accumulateKernelGradient(dzp, xp, into: dw)
            }
        }
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: part)
        defer { sums.deallocate() }
        BatchPieces.sum(parts, pieces: pieces.count, size: part, into: sums)
        kernel.grad.ptr.update(from: sums, count: size)
        bias.grad.ptr.update(from: sums + size, count: filters)
    }
}
