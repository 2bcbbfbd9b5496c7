/// MaxPooling2D on NHWC images, as Keras. `same` pads with −∞, so padded cells never
/// win. Forward records where each maximum came from; backward sends dY there.
public final class MaxPooling2D: ThreadedLayer {
    public let kind = "MaxPooling2D"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }
    public var parallelism = Parallelism.serial
    public let poolSize: (Int, Int)
    public let strides: (Int, Int)
    public let padding: Padding

    let geometry: ConvGeometry
    private let output = Tensor()
    private let dInput = Tensor()
    /// Flat index into the input of each output's maximum; grown, never shrunk.
    private var argmax = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var argmaxCapacity = 1
    /// Tests turn it off to compare the unit-stride paths with the general one.
    var unitStrideRows = true
    /// 2×2 windows moving one pixel: argmax then holds MaxPool2x2Step1's cell codes.
    let twoByTwo: MaxPool2x2Step1?
    private var usesTwoByTwo: Bool { unitStrideRows && twoByTwo != nil }

    /// `strides` nil means the pool size (Keras's default).
    public init(inputShape: [Int], poolSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ShapeError("MaxPooling2D needs input (height, width, channels), got \(inputShape)")
        }
        let strides = strides ?? poolSize
        guard poolSize.0 > 0, poolSize.1 > 0, strides.0 > 0, strides.1 > 0 else {
            throw ShapeError("MaxPooling2D needs positive pool size and strides")
        }
        geometry = try ConvGeometry(image: inputShape, kernel: poolSize, strides: strides, padding: padding)
        twoByTwo = MaxPool2x2Step1(geometry)
        self.inputShape = inputShape
        self.outputShape = [geometry.outH, geometry.outW, inputShape[2]]
        self.poolSize = poolSize
        self.strides = strides
        self.padding = padding
    }

    deinit { argmax.deallocate() }

    private static let laneIndex = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let n = x.batch
        output.resize([n] + outputShape)
        precondition(x.count <= Int(Int32.max), "MaxPooling2D input too large for Int32 indices")
        reserveArgmax(output.count)
        let g = geometry, outItem = output.itemCount
        let x = x.ptr, y = output.ptr, arg = argmax
        if usesTwoByTwo, let pool = twoByTwo {
            parallelism.split(n, work: output.count * 4, minimum: Parallelism.minimumFloats) { items, _ in
                for i in items { pool.forward(x + i * g.imageSize, into: y + i * outItem, codes: arg + i * outItem) }
            }
            return output
        }
        parallelism.split(n, work: output.count * poolSize.0 * poolSize.1, minimum: Parallelism.minimumFloats) { items, _ in
            for i in items where g.strideW == 1 && unitStrideRows {
                MaxPooling2D.poolUnitStride(x, image: i, g, into: y + i * outItem, argmax: arg + i * outItem)
            }
            for i in items where !(g.strideW == 1 && unitStrideRows) {
                MaxPooling2D.pool(x, image: i, g, into: y + i * outItem, argmax: arg + i * outItem)
            }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let n = output.batch, item = output.itemCount
        dInput.resize([n] + inputShape)
        let imageSize = geometry.imageSize, dx = dInput.ptr, dyp = dy.ptr, arg = argmax
        if usesTwoByTwo, let pool = twoByTwo {
            parallelism.split(n, work: output.count * 4, minimum: Parallelism.minimumFloats) { items, _ in
                for i in items { pool.backward(dyp + i * item, codes: arg + i * item, into: dx + i * imageSize) }
            }
            return dInput
        }
        parallelism.split(n, work: output.count, minimum: Parallelism.minimumFloats) { items, _ in
            // Each image's maxima lie in that image, so the ranges write disjoint memory.
            dx.advanced(by: items.lowerBound * imageSize).update(repeating: 0, count: items.count * imageSize)
            for o in (items.lowerBound * item)..<(items.upperBound * item) { dx[Int(arg[o])] += dyp[o] }
        }
        return dInput
    }

    private func reserveArgmax(_ count: Int) {
        guard count > argmaxCapacity else { return }
        argmax.deallocate()
        argmax = .allocate(capacity: count)
        argmaxCapacity = count
    }

    /// Pools image `i` when windows move one column at a time. Then, for one window cell
    /// (row ih, column offset dw), the inputs of a run of output columns are contiguous: over
    /// the columns whose windows lie inside the image, eight outputs at a time keep their
    /// maximum and its index in registers across the window's cells (one store each); the
    /// border columns go element by element. Cells are visited in the same order as `pool`
    /// with the same strict >, so results and ties are identical.
    private static func poolUnitStride(_ x: UnsafePointer<Float>, image i: Int, _ g: ConvGeometry,
                                       into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        let c = g.channels, base = i * g.imageSize, rowLen = g.outW * c, lanes = laneIndex, line = g.inW * c
        // Output columns ow with padLeft ≤ ow and ow − padLeft + kW ≤ inW, as float offsets in a row.
        let interiorStart = min(g.padLeft, g.outW) * c
        let interiorEnd = max(interiorStart, min(g.outW, g.inW - g.kernelW + g.padLeft + 1) * c)
        for oh in 0..<g.outH {
            let ih0 = oh * g.strideH - g.padTop
            let rows = max(ih0, 0)..<min(ih0 + g.kernelH, g.inH)
            let yr = y + oh * rowLen, ar = argmax + oh * rowLen
            var k = interiorStart
            // Sixteen floats per pass: two independent compare-select chains.
            while k + 8 <= interiorEnd {
                let pair = k + 16 <= interiorEnd
                // Float k of the row, cell (ih, dw): input float ih·line + k + (dw − padLeft)·c.
                let first = base + rows.lowerBound * line + k - g.padLeft * c, second = pair ? 8 : 0
                var best = load8(x + first), arg = SIMD8<Int32>(repeating: Int32(first)) &+ lanes
                var best1 = load8(x + first + second), arg1 = arg &+ Int32(second)
                for ih in rows {
                    for dw in 0..<g.kernelW where ih != rows.lowerBound || dw != 0 {
                        let at = base + ih * line + k + (dw - g.padLeft) * c
                        let here = SIMD8<Int32>(repeating: Int32(at)) &+ lanes
                        let v = load8(x + at), better = v .> best
                        best = best.replacing(with: v, where: better)
                        arg = arg.replacing(with: here, where: better)
                        let v1 = load8(x + at + second), better1 = v1 .> best1
                        best1 = best1.replacing(with: v1, where: better1)
                        arg1 = arg1.replacing(with: here &+ Int32(second), where: better1)
                    }
                }
                store8(best, yr + k)
                UnsafeMutableRawPointer(ar + k).storeBytes(of: arg, as: SIMD8<Int32>.self)
                if pair {
                    store8(best1, yr + k + 8)
                    UnsafeMutableRawPointer(ar + k + 8).storeBytes(of: arg1, as: SIMD8<Int32>.self)
                }
                k += pair ? 16 : 8
            }
            for k in 0..<interiorStart {
                (yr[k], ar[k]) = poolOne(x, base: base, g, rows: rows, column: k / c, channel: k % c)
            }
            for k in k..<rowLen {
                (yr[k], ar[k]) = poolOne(x, base: base, g, rows: rows, column: k / c, channel: k % c)
            }
        }
    }

    /// Maximum and its input index for one output (column, channel) of a unit-stride row:
    /// the window clipped to the image, first in-image cell first, later cells only if larger.
    @inline(__always)
    private static func poolOne(_ x: UnsafePointer<Float>, base: Int, _ g: ConvGeometry, rows: Range<Int>,
                                column ow: Int, channel ch: Int) -> (Float, Int32) {
        let c = g.channels, cols = max(ow - g.padLeft, 0)..<min(ow - g.padLeft + g.kernelW, g.inW)
        var arg = base + (rows.lowerBound * g.inW + cols.lowerBound) * c + ch, best = x[arg]
        for ih in rows {
            for iw in cols {
                let at = base + (ih * g.inW + iw) * c + ch
                if x[at] > best { best = x[at]; arg = at }
            }
        }
        return (best, Int32(arg))
    }

    /// Pools image `i`. Windows are clipped to the image (−∞ padding); within a window the
    /// scan is row by row and a later value must be strictly larger, so ties go to the first.
    private static func pool(_ x: UnsafePointer<Float>, image i: Int, _ g: ConvGeometry,
                             into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        let c = g.channels, base = i * g.imageSize
        var o = 0
        for oh in 0..<g.outH {
            let ih0 = oh * g.strideH - g.padTop
            let rows = max(ih0, 0)..<min(ih0 + g.kernelH, g.inH)
            for ow in 0..<g.outW {
                let iw0 = ow * g.strideW - g.padLeft
                let cols = max(iw0, 0)..<min(iw0 + g.kernelW, g.inW)
                let first = base + (rows.lowerBound * g.inW + cols.lowerBound) * c
                for ch in 0..<c { y[o + ch] = x[first + ch]; argmax[o + ch] = Int32(first + ch) }
                for ih in rows {
                    for iw in cols {
                        let at = base + (ih * g.inW + iw) * c
                        for ch in 0..<c where x[at + ch] > y[o + ch] {
                            y[o + ch] = x[at + ch]
                            argmax[o + ch] = Int32(at + ch)
                        }
                    }
                }
                o += c
            }
        }
    }
}
