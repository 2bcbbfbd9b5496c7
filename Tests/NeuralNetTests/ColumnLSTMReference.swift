@testable import NeuralNet

/// The LSTM training forward and backward as they were before `LSTMTraining`: the whole
/// batch at once, feature-major over time-major columns (gates a [4u, T·N] matrix whose
/// column t·N + b is sample b at input time t), one GEMM per step for Whᵀ·h and for Wh·dGates,
/// separate gate loops on fastSigmoid/fastTanh. Kept as the reference the blocked kernel is
/// checked against. Works on copies of an LSTM's weights; its gradients are its own.
final class ColumnLSTMReference {
    let steps: Int
    let features: Int
    let units: Int
    let returnSequences: Bool
    let goBackwards: Bool
    let outputShape: [Int]
    let kernel: Tensor
    let recurrentKernel: Tensor
    let bias: Tensor
    let kernelGrad: Tensor
    let recurrentKernelGrad: Tensor
    let biasGrad: Tensor

    private var batch = 0
    private let inputTimeMajor = Tensor()
    private let gates = Tensor()
    private let hPrev = Tensor()
    private let cPrev = Tensor()
    private let tanhC = Tensor()
    private let lastH = Tensor()
    private let lastC = Tensor()
    private let output = Tensor()
    private let dGates = Tensor()
    private let dhCarry = Tensor()
    private let dcCarry = Tensor()
    private let dInputTimeMajor = Tensor()
    private let dInput = Tensor()

    init(_ layer: LSTM) {
        steps = layer.inputShape[0]
        features = layer.inputShape[1]
        units = layer.units
        returnSequences = layer.returnSequences
        goBackwards = layer.goBackwards
        outputShape = layer.outputShape
        kernel = layer.kernel.value.clone()
        recurrentKernel = layer.recurrentKernel.value.clone()
        bias = layer.bias.value.clone()
        kernelGrad = Tensor(shape: kernel.shape)
        recurrentKernelGrad = Tensor(shape: recurrentKernel.shape)
        biasGrad = Tensor(shape: bias.shape)
    }

    /// Input time index of processing step s.
    @inline(__always) private func time(_ s: Int) -> Int { goBackwards ? steps - 1 - s : s }
    /// Columns of the internal matrices: T·N.
    private var columns: Int { steps * batch }

    // MARK: forward

    func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 3 && x.shape[1] == steps && x.shape[2] == features,
                     "LSTM expects [batch, \(steps), \(features)], got \(x.shape)")
        batch = x.batch
        let u = units
        inputTimeMajor.resize([steps, batch, features])
        swapBatchAndTime(x.ptr, into: inputTimeMajor.ptr, outer: batch, inner: steps)
        projectInputs()
        for state in [hPrev, cPrev, tanhC] { state.resize([u, columns]) }
        lastH.resize([u, batch])
        lastC.resize([u, batch])
        output.resize([batch] + outputShape)
        for s in 0..<steps { forwardStep(s) }
        return output
    }

    /// [outer, inner, F] → [inner, outer, F].
    private func swapBatchAndTime(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
                                  outer: Int, inner: Int) {
        for a in 0..<outer {
            for b in 0..<inner {
                (dst + (b * outer + a) * features).update(from: src + (a * inner + b) * features, count: features)
            }
        }
    }

    /// gates = Wxᵀ·Xᵀ + b for every sample and step in one GEMM: [4u, F]·[F, T·N].
    private func projectInputs() {
        let g4 = 4 * units, cols = columns
        gates.resize([g4, cols])
        gemm(transA: true, transB: true, m: g4, n: cols, k: features, a: kernel.ptr, lda: g4,
             b: inputTimeMajor.ptr, ldb: features, c: gates.ptr, ldc: cols)
        for r in 0..<g4 {
            let row = gates.ptr + r * cols, b = bias[r]
            for k in 0..<cols { row[k] += b }
        }
    }

    private func forwardStep(_ s: Int) {
        let u = units, g4 = 4 * u, n = batch, cols = columns, col = time(s) * n
        if s == 0 {
            for j in 0..<u {
                (hPrev.ptr + j * cols + col).update(repeating: 0, count: n)
                (cPrev.ptr + j * cols + col).update(repeating: 0, count: n)
            }
        } else {
            // gates_t += Whᵀ·h_{prev}, all samples at once.
            gemm(transA: true, m: g4, n: n, k: u, a: recurrentKernel.ptr, lda: g4,
                 b: hPrev.ptr + col, ldb: cols, beta: 1, c: gates.ptr + col, ldc: cols)
        }
        for r in 0..<g4 {
            let row = gates.ptr + r * cols + col
            if r / u == 2 { applyTanh(row, n) } else { applySigmoid(row, n) }
        }
        // The new h and c go where the next processed step reads them.
        let next = s + 1 < steps ? time(s + 1) * n : -1
        let (h, c, stride) = next >= 0 ? (hPrev.ptr + next, cPrev.ptr + next, cols) : (lastH.ptr, lastC.ptr, n)
        for j in 0..<u {
            let g = gates.ptr + j * cols + col
            let state = j * cols + col
            updateCell(i: g, f: g + u * cols, candidate: g + 2 * u * cols, o: g + 3 * u * cols,
                       cPrev: cPrev.ptr + state, c: c + j * stride, tanhC: tanhC.ptr + state, h: h + j * stride, n)
        }
        writeOutput(s, h: h, stride: stride)
    }

    private func applySigmoid(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
        for k in 0..<n { p[k] = fastSigmoid(p[k]) }
    }

    private func applyTanh(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
        for k in 0..<n { p[k] = fastTanh(p[k]) }
    }

    /// c = f·c_{prev} + i·c̃, h = o·tanh(c) over n samples of one unit.
    private func updateCell(i: UnsafePointer<Float>, f: UnsafePointer<Float>, candidate: UnsafePointer<Float>,
                            o: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                            tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, _ n: Int) {
        for k in 0..<n { c[k] = f[k] * cPrev[k] + i[k] * candidate[k] }
        for k in 0..<n { tanhC[k] = fastTanh(c[k]) }
        for k in 0..<n { h[k] = o[k] * tanhC[k] }
    }

    /// Processing step s's h ([u, N] with row stride `stride`) into the [N, (T,) u] output.
    private func writeOutput(_ s: Int, h: UnsafePointer<Float>, stride: Int) {
        guard returnSequences || s == steps - 1 else { return }
        let u = units
        for b in 0..<batch {
            let out = output.ptr + (returnSequences ? (b * steps + s) * u : b * u)
            for j in 0..<u { out[j] = h[j * stride + b] }
        }
    }

    // MARK: backward (through time)

    func backward(_ dy: Tensor) -> Tensor {
        let u = units, g4 = 4 * u, n = batch, cols = columns
        dGates.resize([g4, cols])
        dhCarry.resize([u, n]); dhCarry.zero()
        dcCarry.resize([u, n]); dcCarry.zero()
        for s in stride(from: steps - 1, through: 0, by: -1) {
            addOutputGradient(s, dy: dy)
            backwardStep(s)
            if s > 0 {
                // dh_{prev} = Wh·dGates_t.
                gemm(m: u, n: n, k: g4, a: recurrentKernel.ptr, lda: g4,
                     b: dGates.ptr + time(s) * n, ldb: cols, c: dhCarry.ptr, ldc: n)
            }
        }
        parameterGradients()
        dInputTimeMajor.resize([steps, n, features])
        gemm(transA: true, transB: true, m: cols, n: features, k: g4, a: dGates.ptr, lda: cols,
             b: kernel.ptr, ldb: g4, c: dInputTimeMajor.ptr, ldc: features)
        dInput.resize([n, steps, features])
        swapBatchAndTime(dInputTimeMajor.ptr, into: dInput.ptr, outer: steps, inner: n)
        return dInput
    }

    /// Over all samples and steps at once. hPrev holds every step's h_{prev} (zero at the
    /// first processed step), so dWh needs no per-step accumulation.
    private func parameterGradients() {
        let g4 = 4 * units, cols = columns
        gemm(transA: true, transB: true, m: features, n: g4, k: cols, a: inputTimeMajor.ptr, lda: features,
             b: dGates.ptr, ldb: cols, c: kernelGrad.ptr, ldc: g4)
        gemm(transB: true, m: units, n: g4, k: cols, a: hPrev.ptr, lda: cols,
             b: dGates.ptr, ldb: cols, c: recurrentKernelGrad.ptr, ldc: g4)
        for r in 0..<g4 {
            let row = dGates.ptr + r * cols
            var sum: Float = 0
            for k in 0..<cols { sum += row[k] }
            biasGrad[r] = sum
        }
    }

    /// dhCarry += dL/dh of processing step s from the layer's output, if the output holds it.
    private func addOutputGradient(_ s: Int, dy: Tensor) {
        guard returnSequences || s == steps - 1 else { return }
        let u = units, dh = dhCarry.ptr
        for b in 0..<batch {
            let src = dy.ptr + (returnSequences ? (b * steps + s) * u : b * u)
            for j in 0..<u { dh[j * batch + b] += src[j] }
        }
    }

    /// Gate gradients of processing step s from dhCarry, dcCarry; leaves dL/dc_{prev} in dcCarry.
    private func backwardStep(_ s: Int) {
        let u = units, n = batch, cols = columns, col = time(s) * n
        for j in 0..<u {
            let g = gates.ptr + j * cols + col, dg = dGates.ptr + j * cols + col
            let state = j * cols + col
            cellBackward(i: g, f: g + u * cols, candidate: g + 2 * u * cols, o: g + 3 * u * cols,
                         cPrev: cPrev.ptr + state, tanhC: tanhC.ptr + state,
                         dh: dhCarry.ptr + j * n, dc: dcCarry.ptr + j * n,
                         di: dg, df: dg + u * cols, dCandidate: dg + 2 * u * cols, dO: dg + 3 * u * cols, n)
        }
    }

    /// One unit over n samples: dL/d(pre-activations) of the four gates, and dc ← dL/dc_{prev}.
    private func cellBackward(i: UnsafePointer<Float>, f: UnsafePointer<Float>, candidate: UnsafePointer<Float>,
                              o: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                              dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
                              di: UnsafeMutablePointer<Float>, df: UnsafeMutablePointer<Float>,
                              dCandidate: UnsafeMutablePointer<Float>, dO: UnsafeMutablePointer<Float>, _ n: Int) {
        for k in 0..<n {
            let tc = tanhC[k], ok = o[k]
            dO[k] = dh[k] * tc * ok * (1 - ok)
            dc[k] += dh[k] * ok * (1 - tc * tc)
        }
        for k in 0..<n {
            let ik = i[k], fk = f[k], ck = candidate[k], dck = dc[k]
            di[k] = dck * ck * ik * (1 - ik)
            df[k] = dck * cPrev[k] * fk * (1 - fk)
            dCandidate[k] = dck * ik * (1 - ck * ck)
            dc[k] = dck * fk
        }
    }
}

// MARK: vectorisable nonlinearities
//
// glibc's tanhf (through expm1f) and expf are opaque calls that keep the gate loops scalar;
// they were 80% of the LSTM's time. These are plain arithmetic the compiler inlines and
// vectorises, accurate to a few ulp.

/// e^x for x clamped to [−87, 88] (Cephes expf: x = k·ln2 + r, degree-6 polynomial in r).
@inline(__always) func fastExp(_ x: Float) -> Float {
    let x = Swift.min(Swift.max(x, -87), 88)
    // Adding and subtracting 1.5·2^23 rounds to the nearest integer without a libm call.
    let magic: Float = 12_582_912
    let k = (x * 1.442_695_04 + magic) - magic
    // ln2 split in two (0.693359375 − 2.12194440e-4) so k·ln2 is subtracted exactly.
    let r = (x - k * 0.693_359_375) + k * 2.121_944_40e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_91e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * r * r + r + 1
    return p * Float(bitPattern: UInt32(bitPattern: Int32(k) + 127) << 23)
}

/// 1 / (1 + e^{−x}); the clamp inside fastExp keeps it finite for any x.
@inline(__always) func fastSigmoid(_ x: Float) -> Float { 1 / (1 + fastExp(-x)) }

/// tanh as (1 − e^{−2|x|}) / (1 + e^{−2|x|}) with the sign put back. That quotient loses
/// relative precision near 0, so |x| < 0.125 uses the Taylor series instead (first omitted
/// term below 2e-10).
@inline(__always) func fastTanh(_ x: Float) -> Float {
    let a = abs(x)
    let t = fastExp(-2 * a)
    let quotient = (1 - t) / (1 + t)
    let a2 = a * a
    let series = a * (1 + a2 * (-1.0 / 3 + a2 * (2.0 / 15 + a2 * (-17.0 / 315))))
    return Float(signOf: x, magnitudeOf: a < 0.125 ? series : quotient)
}
