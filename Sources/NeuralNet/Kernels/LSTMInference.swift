/// The LSTM forward without a tape (inference): what only backward needs is never stored,
/// and the samples go through all their steps 32 at a time, so a block's gates and states
/// stay in L1 across its steps (as in `LSTMTraining`, which also writes the tape).
///
/// Per block: its input time-major into [T, 32, F] (zero padded past the batch), one GEMM for
/// every step's input projection [4u, T·32], then per step the recurrent term Whᵀ·h, added
/// with FMAs in registers (as a GEMM it would be a 4u × u × 32 call per step, all overhead),
/// then the cell (`LSTMCellMath.cell`, which unlike the training cell does not keep the gate
/// activations): the outputs agree with the training forward's to float rounding.
final class LSTMInference {
    /// Samples per block: four SIMD8 registers' worth.
    static let lanes = 32

    let steps: Int
    let features: Int
    let units: Int
    let goBackwards: Bool
    /// The block's input, time-major: [T, lanes, F].
    private let input = Tensor()
    /// Input projections of the block, Wxᵀ·x: [4u, T·lanes].
    private let projection = Tensor()
    /// Gate pre-activations of the current step: [4u, lanes].
    private let gates = Tensor()
    /// h of the previous and of the current step, alternating: [2, u, lanes].
    private let h = Tensor()
    /// c, updated in place: [u, lanes].
    private let c = Tensor()

    init(steps: Int, features: Int, units: Int, goBackwards: Bool) {
        self.steps = steps
        self.features = features
        self.units = units
        self.goBackwards = goBackwards
        let l = Self.lanes
        input.resize([steps, l, features])
        projection.resize([4 * units, steps * l])
        gates.resize([4 * units, l])
        h.resize([2, units, l])
        c.resize([units, l])
    }

    /// Where the h of each output position goes: [N, positions, width] rows, at `offset` in
    /// the row, written or added, with positions in processing order or reversed.
    /// `Bidirectional` merges its two directions this way as they are computed.
    struct Placement {
        var width: Int
        var offset = 0
        var reversed = false
        var accumulate = false
    }

    /// The LSTM of `samples` of x [N, T, F] into their rows of the output: [N, T, u] in
    /// processing order with `returnSequences`, else the last processed step's h [N, u]
    /// (or as `placement` says).
    func forward(_ x: Tensor, samples: Range<Int>, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor,
                 returnSequences: Bool, into output: Tensor, placement: Placement) {
        for start in stride(from: samples.lowerBound, to: samples.upperBound, by: Self.lanes) {
            let count = min(Self.lanes, samples.upperBound - start)
            loadBlock(x, start: start, count: count)
            gemm(transA: true, transB: true, m: 4 * units, n: steps * Self.lanes, k: features,
                 a: kernel.ptr, lda: 4 * units, b: input.ptr, ldb: features, c: projection.ptr, ldc: steps * Self.lanes)
            c.zero()
            for s in 0..<steps {
                let size = units * Self.lanes
                let hPrev = h.ptr + (s % 2) * size, hNext = h.ptr + (1 - s % 2) * size
                addRecurrentTerm(s, recurrentKernel.ptr, bias.ptr, hPrev: hPrev)
                updateCell(hNext: hNext)
                if returnSequences || s == steps - 1 {
                    let position = returnSequences ? (placement.reversed ? steps - 1 - s : s) : 0
                    writeOutput(hNext, position: position, positions: returnSequences ? steps : 1,
                                start: start, count: count, into: output, placement)
                }
            }
        }
    }

    /// input[t, k] ← x[start + k, t] for k < count, zero for the padding lanes. Each sample is
    /// read front to back, which the prefetcher follows.
    private func loadBlock(_ x: Tensor, start: Int, count: Int) {
        let l = Self.lanes, f = features
        for k in 0..<count {
            let sample = x.ptr + (start + k) * steps * f
            for t in 0..<steps {
                copy(sample + t * f, to: input.ptr + (t * l + k) * f, count: f)
            }
        }
        guard count < l else { return }
        for t in 0..<steps { (input.ptr + (t * l + count) * f).update(repeating: 0, count: (l - count) * f) }
    }

    /// A row of a few floats, 8 at a time: a memcpy call per row cost more than the copy.
    @inline(__always)
    private func copy(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var e = 0
        while e + 8 <= count { store8(load8(src + e), dst + e); e += 8 }
        while e < count { dst[e] = src[e]; e += 1 }
    }

    /// gates ← projection of processing step s + bias + Whᵀ·h_{prev}, two gate rows at a time
    /// (h is zero at the first step).
    private func addRecurrentTerm(_ s: Int, _ wh: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                                  hPrev: UnsafePointer<Float>) {
        let u = units, g4 = 4 * u, l = Self.lanes, rowStride = steps * l
        let p = projection.ptr + (goBackwards ? steps - 1 - s : s) * l
        for r in stride(from: 0, to: g4, by: 2) {
            let p0 = p + r * rowStride, g0 = gates.ptr + r * l
            LSTMCellMath.twoGateRows(r, projections: p0, p0 + rowStride, bias: bias, recurrentKernel: wh, units: u,
                                     h: hPrev, hStride: l, firstStep: s == 0, into: g0, g0 + l)
        }
    }

    /// c ← f·c + i·c̃ and hNext ← o·tanh(c) from the gates' pre-activations.
    private func updateCell(hNext: UnsafeMutablePointer<Float>) {
        let n = units * Self.lanes, g = gates.ptr, c = self.c.ptr
        for k in 0..<n {
            let (cNew, h) = LSTMCellMath.cell(i: g[k], f: g[n + k], g: g[2 * n + k], o: g[3 * n + k], c: c[k])
            c[k] = cNew
            hNext[k] = h
        }
    }

    /// h [u, lanes] to output position `position` of the first `count` samples of the block.
    private func writeOutput(_ h: UnsafePointer<Float>, position: Int, positions: Int, start: Int, count: Int,
                             into output: Tensor, _ placement: Placement) {
        let u = units, l = Self.lanes
        for k in 0..<count {
            let out = output.ptr + ((start + k) * positions + position) * placement.width + placement.offset
            if placement.accumulate {
                for j in 0..<u { out[j] += h[j * l + k] }
            } else {
                for j in 0..<u { out[j] = h[j * l + k] }
            }
        }
    }
}
