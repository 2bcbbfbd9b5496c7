#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// Internal buffers are indexed by *input* time t, so time t of sample b is row b·T + t of
/// an [N·T, ·] matrix; one step's rows form a strided matrix (row stride T·width), which
/// lets the per-step recurrent GEMM read and write them in place.
public final class LSTM: Layer {
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

    private let steps: Int
    private let features: Int
    private var input: Tensor?
    /// Gate pre-activations, then (in place) activations i, f, c̃, o: [N, T, 4u].
    private let gates = Tensor()
    /// The h and c each step starts from (zero at the first processed step): [N, T, u].
    private let hPrev = Tensor()
    private let cPrev = Tensor()
    /// tanh(c_t): [N, T, u].
    private let tanhC = Tensor()
    private let output = Tensor()
    /// dL/d(gate pre-activations): [N, T, 4u].
    private let dGates = Tensor()
    /// dL/dh and dL/dc flowing back from the next processed step: [N, u].
    private let dhCarry = Tensor()
    private let dcCarry = Tensor()
    private let dInput = Tensor()

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
    }

    /// Input time index of processing step s.
    @inline(__always) private func time(_ s: Int) -> Int { goBackwards ? steps - 1 - s : s }

    // MARK: forward

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 3 && x.shape[1] == steps && x.shape[2] == features,
                     "LSTM expects [batch, \(steps), \(features)], got \(x.shape)")
        input = x
        let n = x.batch
        projectInputs(x, batch: n)
        hPrev.resize([n, steps, units])
        cPrev.resize([n, steps, units])
        tanhC.resize([n, steps, units])
        output.resize([n] + outputShape)
        for s in 0..<steps { forwardStep(s, batch: n) }
        return output
    }

    /// gates = X·Wx + b for every sample and step in one GEMM: [N·T, F]·[F, 4u].
    private func projectInputs(_ x: Tensor, batch n: Int) {
        let g4 = 4 * units
        gates.resize([n, steps, g4])
        gemm(m: n * steps, n: g4, k: features, a: x.ptr, lda: features,
             b: kernel.value.ptr, ldb: g4, c: gates.ptr, ldc: g4)
        Elementwise.addBias(gates.ptr, rows: n * steps, cols: g4, bias: bias.value.ptr)
    }

    private func forwardStep(_ s: Int, batch n: Int) {
        let u = units, g4 = 4 * u, t = time(s)
        let gRow = steps * g4, hRow = steps * u
        if s == 0 {
            for b in 0..<n {
                (hPrev.ptr + b * hRow + t * u).update(repeating: 0, count: u)
                (cPrev.ptr + b * hRow + t * u).update(repeating: 0, count: u)
            }
        } else {
            // gates_t += h_{prev}·Wh, all samples at once.
            gemm(m: n, n: g4, k: u, a: hPrev.ptr + t * u, lda: hRow,
                 b: recurrentKernel.value.ptr, ldb: g4, beta: 1, c: gates.ptr + t * g4, ldc: gRow)
        }
        let next = s + 1 < steps ? time(s + 1) : -1
        let last = s == steps - 1
        for b in 0..<n {
            let g = gates.ptr + b * gRow + t * g4
            let cp = cPrev.ptr + b * hRow + t * u
            let tc = tanhC.ptr + b * hRow + t * u
            let hNext = next >= 0 ? hPrev.ptr + b * hRow + next * u : nil
            let cNext = next >= 0 ? cPrev.ptr + b * hRow + next * u : nil
            let out: UnsafeMutablePointer<Float>? =
                returnSequences ? output.ptr + (b * steps + s) * u : (last ? output.ptr + b * u : nil)
            for j in 0..<u {
                let i = Activation.sigmoid(g[j])
                let f = Activation.sigmoid(g[u + j])
                let cc = tanhf(g[2 * u + j])
                let o = Activation.sigmoid(g[3 * u + j])
                g[j] = i; g[u + j] = f; g[2 * u + j] = cc; g[3 * u + j] = o
                let c = f * cp[j] + i * cc
                let tcj = tanhf(c)
                tc[j] = tcj
                let h = o * tcj
                hNext?[j] = h
                cNext?[j] = c
                out?[j] = h
            }
        }
    }

    // MARK: backward (through time)

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("LSTM.backward before forward") }
        let n = x.batch, u = units, g4 = 4 * u
        dGates.resize(gates.shape)
        dhCarry.resize([n, u]); dhCarry.zero()
        dcCarry.resize([n, u]); dcCarry.zero()
        for s in stride(from: steps - 1, through: 0, by: -1) {
            backwardStep(s, batch: n, dy: dy)
            if s > 0 {
                // dh_{prev} = dGates_t·Whᵀ.
                gemm(transB: true, m: n, n: u, k: g4, a: dGates.ptr + time(s) * g4, lda: steps * g4,
                     b: recurrentKernel.value.ptr, ldb: g4, c: dhCarry.ptr, ldc: u)
            }
        }
        let rows = n * steps
        // Weight gradients over all samples and steps at once; hPrev holds each step's h_{prev}
        // (zero at the first processed step), so no per-step accumulation is needed.
        gemm(transA: true, m: features, n: g4, k: rows, a: x.ptr, lda: features,
             b: dGates.ptr, ldb: g4, c: kernel.grad.ptr, ldc: g4)
        gemm(transA: true, m: u, n: g4, k: rows, a: hPrev.ptr, lda: u,
             b: dGates.ptr, ldb: g4, c: recurrentKernel.grad.ptr, ldc: g4)
        Elementwise.sumRows(dGates.ptr, rows: rows, cols: g4, into: bias.grad.ptr)
        dInput.resize(x.shape)
        gemm(transB: true, m: rows, n: features, k: g4, a: dGates.ptr, lda: g4,
             b: kernel.value.ptr, ldb: g4, c: dInput.ptr, ldc: features)
        return dInput
    }

    /// Gate gradients of processing step s; leaves dL/dc_{prev} in dcCarry.
    private func backwardStep(_ s: Int, batch n: Int, dy: Tensor) {
        let u = units, g4 = 4 * u, t = time(s)
        let gRow = steps * g4, hRow = steps * u
        let last = s == steps - 1
        for b in 0..<n {
            let g = gates.ptr + b * gRow + t * g4
            let dg = dGates.ptr + b * gRow + t * g4
            let cp = cPrev.ptr + b * hRow + t * u
            let tc = tanhC.ptr + b * hRow + t * u
            let dh = dhCarry.ptr + b * u
            let dc = dcCarry.ptr + b * u
            let dOut: UnsafeMutablePointer<Float>? =
                returnSequences ? dy.ptr + (b * steps + s) * u : (last ? dy.ptr + b * u : nil)
            for j in 0..<u {
                let i = g[j], f = g[u + j], cc = g[2 * u + j], o = g[3 * u + j]
                let dhj = dh[j] + (dOut?[j] ?? 0)
                let tcj = tc[j]
                let dcj = dc[j] + dhj * o * (1 - tcj * tcj)
                dg[j] = dcj * cc * i * (1 - i)
                dg[u + j] = dcj * cp[j] * f * (1 - f)
                dg[2 * u + j] = dcj * i * (1 - cc * cc)
                dg[3 * u + j] = dhj * tcj * o * (1 - o)
                dc[j] = dcj * f
            }
        }
    }
}
