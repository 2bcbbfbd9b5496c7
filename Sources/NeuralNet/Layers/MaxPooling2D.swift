/// MaxPooling2D on NHWC images, as Keras. `same` pads with −∞, so padded cells never
/// win. Forward in training records where each maximum came from; backward sends dY there.
public final class MaxPooling2D: Layer {
    public let kind = "MaxPooling2D"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }
    public let poolSize: (Int, Int)
    public let strides: (Int, Int)
    public let padding: Padding

    let geometry: ConvGeometry
    private let output = Tensor()
    private let dInput = Tensor()
    /// Flat index into the input of each output's maximum; grown, never shrunk.
    private var argmax = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var argmaxCapacity = 1
    /// Tests turn it off to compare the unit-stride path with the general one.
    var unitStrideRows = true
    /// Whether the last forward recorded the argmax (inference skips it where it can).
    private var argmaxRecorded = false

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
        let unitStride = g.strideW == 1 && unitStrideRows
        argmaxRecorded = training || !unitStride
        Im2col.forEachBatchChunk(batch: n, work: output.count * poolSize.0 * poolSize.1,
                                 parallelWork: Im2col.defaultParallelWork) { items in
            for i in items where unitStride {
                MaxPooling2D.poolUnitStride(x, image: i, g, into: y + i * outItem, argmax: arg + i * outItem,
                                            recordArgmax: training)
            }
            for i in items where !(g.strideW == 1 && unitStrideRows) {
                MaxPooling2D.pool(x, image: i, g, into: y + i * outItem, argmax: arg + i * outItem)
            }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(argmaxRecorded, "MaxPooling2D.backward needs a forward with training: true")
        let n = output.batch, item = output.itemCount
        dInput.resize([n] + inputShape)
        let imageSize = geometry.imageSize, dx = dInput.ptr, dyp = dy.ptr, arg = argmax
        Im2col.forEachBatchChunk(batch: n, work: output.count, parallelWork: Im2col.defaultParallelWork) { items in
            // Each image's maxima lie in that image, so the halves write disjoint memory.
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
    /// (row ih, column offset dw), the inputs of a run of output columns are contiguous, so
    /// the compare-and-select runs over outW·C floats and vectorises. Cells are visited in
    /// the same order as `pool` with the same strict >, so results and ties are identical.
    /// Without `recordArgmax` (inference) only the maxima are kept: half the loads and stores.
    private static func poolUnitStride(_ x: UnsafePointer<Float>, image i: Int, _ g: ConvGeometry,
                                       into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>,
                                       recordArgmax: Bool) {
        let c = g.channels, base = i * g.imageSize, rowLen = g.outW * c, lanes = laneIndex
        for oh in 0..<g.outH {
            let ih0 = oh * g.strideH - g.padTop
            let rows = max(ih0, 0)..<min(ih0 + g.kernelH, g.inH)
            let yr = y + oh * rowLen, ar = argmax + oh * rowLen
            // Start from each window's first in-image cell.
            for ow in 0..<g.outW {
                let first = base + (rows.lowerBound * g.inW + max(ow - g.padLeft, 0)) * c
                for ch in 0..<c { yr[ow * c + ch] = x[first + ch]; ar[ow * c + ch] = Int32(first + ch) }
            }
            for ih in rows {
                for dw in 0..<g.kernelW {
                    // Output columns whose cell dw is inside the image: 0 ≤ ow − padLeft + dw < inW.
                    let lo = max(0, g.padLeft - dw), hi = min(g.outW, g.inW + g.padLeft - dw)
                    guard lo < hi else { continue }
                    let start = base + (ih * g.inW + lo - g.padLeft + dw) * c
                    let xs = x + start, ys = yr + lo * c, args = ar + lo * c, first = Int32(start)
                    let count = (hi - lo) * c
                    guard recordArgmax else {
                        maxInPlace(ys, xs, count: count)
                        continue
                    }
                    var k = 0
                    // Explicit SIMD8: the scalar select loop did not vectorise (Float and Int32 stores).
                    while k + 8 <= count {
                        let v = load8(xs + k), old = load8(ys + k), better = v .> old
                        store8(old.replacing(with: v, where: better), ys + k)
                        let oldArgs = UnsafeRawPointer(args + k).loadUnaligned(as: SIMD8<Int32>.self)
                        let here = SIMD8<Int32>(repeating: first &+ Int32(truncatingIfNeeded: k)) &+ lanes
                        UnsafeMutableRawPointer(args + k).storeBytes(of: oldArgs.replacing(with: here, where: better),
                                                                     as: SIMD8<Int32>.self)
                        k += 8
                    }
                    for k in k..<count {
                        let v = xs[k], better = v > ys[k]
                        ys[k] = better ? v : ys[k]
                        args[k] = better ? first &+ Int32(truncatingIfNeeded: k) : args[k]
                    }
                }
            }
        }
    }

    /// ys[k] = xs[k] where xs[k] > ys[k], for k < count (the select without the argmax).
    private static func maxInPlace(_ ys: UnsafeMutablePointer<Float>, _ xs: UnsafePointer<Float>, count: Int) {
        var k = 0
        while k + 8 <= count {
            let v = load8(xs + k), old = load8(ys + k)
            store8(old.replacing(with: v, where: v .> old), ys + k)
            k += 8
        }
        for k in k..<count where xs[k] > ys[k] { ys[k] = xs[k] }
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
