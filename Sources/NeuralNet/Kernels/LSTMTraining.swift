/// The LSTM training forward, which keeps what backward needs (the tape), and backward
/// through time, both 32 samples at a time like `LSTMInference`: a block's gates and states
/// stay in L1/L2 across its steps; one GEMM per block computes its steps' input projections,
/// and one GEMM over all blocks each dWx, dWh and dX; the recurrent terms Whᵀ·h and Wh·dGates
/// are FMAs in registers (as GEMMs they would be 4u × u × 32 calls per step, all overhead);
/// the cell math is one fused loop (`LSTMCellMath`); nothing is allocated per step.
///
/// Everything is in processing order (reversed in time with `goBackwards`): column
/// (block·T + s)·lanes + k of the matrices over all blocks is lane k of a block at processing
/// step s. Padding lanes past the batch get zero input and zero output gradient, so they add
/// nothing to the parameter gradients.
///
/// The tape of a step is a record of `Row`s of 32 lanes per unit: everything the cell loops
/// read and write for a unit sits at constant offsets from one pointer, so the compiler
/// vectorises them without runtime alias checks (with the rows scattered over separate
/// matrices it gave up and ran them scalar, three times slower).
final class LSTMTraining {
    /// Samples per block: four SIMD8 registers' worth.
    static let lanes = 32

    /// Rows of a step's record, per unit.
    enum Row {
        /// Gate pre-activations, then activations: i, f, c̃, o at rows 0–3.
        static let c = 4, tanhC = 5, h = 6, count = 7
    }

    /// Rows of the backward's record, per unit: dL/d(pre-activations) of i, f, c̃, o at rows 0–3.
    enum GradientRow {
        static let h = 4, c = 5, count = 6
    }

    let steps: Int
    let features: Int
    let units: Int
    let goBackwards: Bool
    private var batch = 0
    private var blocks = 0
    /// Each block's input in processing order: [blocks, T·lanes, F], zero in padding lanes.
    private let input = Tensor()
    /// Each block's records: [blocks, T + 1, u, Row.count, lanes]; record 0 holds the zero
    /// initial state (its c and h rows), record s + 1 processing step s.
    private let records = Tensor()
    /// h before every step, for dWh: [u, blocks·T·lanes].
    private let hBefore = Tensor()
    /// Input projections of the block being run forward: [4u, T·lanes].
    private let projection = Tensor()
    /// The backward's record of the current step: [u, GradientRow.count, lanes].
    private let gradientRecord = Tensor()
    /// dL/d(gate pre-activations): [4u, blocks·T·lanes].
    private let dGates = Tensor()
    /// dL/d(input) of the blocks in processing order: [blocks·T·lanes, F].
    private let dInputBlocks = Tensor()
    /// Where gate row r (gate r / u of unit r % u) starts in a step record and in the gradient
    /// record: tables, so the row loops do no integer divisions (they cost more than the FMAs).
    private let recordRowOffsets: UnsafeMutablePointer<Int>
    private let gradientRowOffsets: UnsafeMutablePointer<Int>

    init(steps: Int, features: Int, units: Int, goBackwards: Bool) {
        self.steps = steps
        self.features = features
        self.units = units
        self.goBackwards = goBackwards
        gradientRecord.resize([units, GradientRow.count, Self.lanes])
        recordRowOffsets = .allocate(capacity: 4 * units)
        gradientRowOffsets = .allocate(capacity: 4 * units)
        for r in 0..<(4 * units) {
            let (unit, gate) = (r % units, r / units)
            recordRowOffsets[r] = (unit * Row.count + gate) * Self.lanes
            gradientRowOffsets[r] = (unit * GradientRow.count + gate) * Self.lanes
        }
    }

    deinit {
        recordRowOffsets.deallocate()
        gradientRowOffsets.deallocate()
    }

    /// Input time index of processing step s.
    @inline(__always) private func time(_ s: Int) -> Int { goBackwards ? steps - 1 - s : s }
    /// Columns of a block in the step-indexed matrices, and of all blocks.
    private var stepColumns: Int { steps * Self.lanes }
    private var columns: Int { blocks * stepColumns }
    /// Floats of one step's record.
    private var recordSize: Int { units * Row.count * Self.lanes }

    /// Record s (0: the initial state, s + 1: after processing step s) of a block.
    @inline(__always) private func record(_ block: Int, _ s: Int) -> UnsafeMutablePointer<Float> {
        records.ptr + (block * (steps + 1) + s) * recordSize
    }

    // MARK: forward

    /// The LSTM of x [N, T, F] into `output`: [N, T, u] in processing order with
    /// `returnSequences`, else the last processed step's h [N, u]; keeps the tape.
    func forward(_ x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor,
                 returnSequences: Bool, into output: Tensor) {
        let l = Self.lanes, u = units, g4 = 4 * u
        batch = x.batch
        blocks = (batch + l - 1) / l
        input.resize([blocks, stepColumns, features])
        records.resize([blocks, steps + 1, u, Row.count, l])
        hBefore.resize([u, columns])
        projection.resize([g4, stepColumns])
        for block in 0..<blocks {
            let start = block * l, count = min(l, batch - start)
            let xb = input.ptr + block * stepColumns * features
            loadBlock(x, start: start, count: count, into: xb)
            // Block by block, so the projections are still in L2 when the steps read them.
            gemm(transA: true, transB: true, m: g4, n: stepColumns, k: features, a: kernel.ptr, lda: g4,
                 b: xb, ldb: features, c: projection.ptr, ldc: stepColumns)
            record(block, 0).update(repeating: 0, count: recordSize)
            for s in 0..<steps {
                let previous = record(block, s), current = record(block, s + 1), column = block * stepColumns + s * l
                for j in 0..<u {
                    copyRow(previous + (j * Row.count + Row.h) * l, to: hBefore.ptr + j * columns + column, count: l)
                }
                preactivate(s * l, first: s == 0, previous: previous, into: current, recurrentKernel.ptr, bias.ptr)
                updateCell(previous: previous, current: current)
                if returnSequences || s == steps - 1 {
                    writeOutput(current, position: returnSequences ? s : 0,
                                positions: returnSequences ? steps : 1, start: start, count: count, into: output)
                }
            }
        }
    }

    /// block[s·lanes + k] ← x[start + k, time(s)] for k < count, zero for the padding lanes.
    private func loadBlock(_ x: Tensor, start: Int, count: Int, into block: UnsafeMutablePointer<Float>) {
        let l = Self.lanes, f = features
        for k in 0..<count {
            let sample = x.ptr + (start + k) * steps * f
            for s in 0..<steps { copyRow(sample + time(s) * f, to: block + (s * l + k) * f, count: f) }
        }
        guard count < l else { return }
        for s in 0..<steps { (block + (s * l + count) * f).update(repeating: 0, count: (l - count) * f) }
    }

    /// The gate rows of `current` ← the block's input projection at `column` + bias + Whᵀ·h (h from
    /// `previous`, zero before the first step), two gate rows at a time.
    private func preactivate(_ column: Int, first: Bool, previous: UnsafePointer<Float>,
                             into current: UnsafeMutablePointer<Float>,
                             _ wh: UnsafePointer<Float>, _ bias: UnsafePointer<Float>) {
        let u = units, g4 = 4 * u, l = Self.lanes
        let p = projection.ptr + column, rowStride = stepColumns, unitStride = Row.count * l
        let h = previous + Row.h * l
        for r in stride(from: 0, to: g4, by: 2) {
            let p0 = p + r * rowStride
            LSTMCellMath.twoGateRows(r, projections: p0, p0 + rowStride, bias: bias, recurrentKernel: wh, units: u,
                                     h: h, hStride: unitStride, firstStep: first,
                                     into: current + recordRowOffsets[r], current + recordRowOffsets[r + 1])
        }
    }

    /// The cell of a step, unit by unit: gate activations over the pre-activations, c, tanh(c)
    /// and h into `current`, from the c in `previous`.
    private func updateCell(previous: UnsafePointer<Float>, current: UnsafeMutablePointer<Float>) {
        let l = Self.lanes, unitStride = Row.count * l
        for j in 0..<units {
            let q = current + j * unitStride, cPrevious = previous + j * unitStride + Row.c * l
            for k in 0..<l {
                let cell = LSTMCellMath.trainingCell(i: q[k], f: q[l + k], g: q[2 * l + k], o: q[3 * l + k],
                                                     c: cPrevious[k])
                q[k] = cell.i
                q[l + k] = cell.f
                q[2 * l + k] = cell.g
                q[3 * l + k] = cell.o
                q[Row.c * l + k] = cell.c
                q[Row.tanhC * l + k] = cell.tanhC
                q[Row.h * l + k] = cell.h
            }
        }
    }

    /// h of a step's record to output position `position` of the block's first `count` samples.
    private func writeOutput(_ record: UnsafePointer<Float>, position: Int, positions: Int, start: Int, count: Int,
                             into output: Tensor) {
        let u = units, l = Self.lanes, h = record + Row.h * l, unitStride = Row.count * l
        for k in 0..<count {
            let out = output.ptr + ((start + k) * positions + position) * u
            for j in 0..<u { out[j] = h[j * unitStride + k] }
        }
    }

    // MARK: backward

    /// From dL/d(output), read from dy as `placement` says (`Bidirectional` passes its own
    /// merged gradient): overwrites the three gradients and, unless nil, dInput [N, T, F].
    func backward(_ dy: Tensor, placement: LSTMInference.Placement, kernel: Parameter, recurrentKernel: Parameter,
                  bias: Parameter, returnSequences: Bool, dInput: Tensor?) {
        let l = Self.lanes, u = units, g4 = 4 * u
        dGates.resize([g4, columns])
        // Last block first: the forward wrote its tape last, so more of it is still in cache.
        for block in (0..<blocks).reversed() {
            let start = block * l, count = min(l, batch - start)
            gradientRecord.zero()
            for s in stride(from: steps - 1, through: 0, by: -1) {
                if returnSequences || s == steps - 1 {
                    addOutputGradient(dy, position: returnSequences ? s : 0, positions: returnSequences ? steps : 1,
                                      start: start, count: count, placement)
                }
                cellBackward(previous: record(block, s), current: record(block, s + 1))
                storeGateGradients(column: block * stepColumns + s * l)
                if s > 0 { recurrentGradient(recurrentKernel.value.ptr) }
            }
        }
        gemm(transA: true, transB: true, m: features, n: g4, k: columns, a: input.ptr, lda: features,
             b: dGates.ptr, ldb: columns, c: kernel.grad.ptr, ldc: g4)
        gemm(transB: true, m: u, n: g4, k: columns, a: hBefore.ptr, lda: columns,
             b: dGates.ptr, ldb: columns, c: recurrentKernel.grad.ptr, ldc: g4)
        rowSums(into: bias.grad.ptr)
        guard let dInput else { return }
        dInputBlocks.resize([columns, features])
        gemm(transA: true, transB: true, m: columns, n: features, k: g4, a: dGates.ptr, lda: columns,
             b: kernel.value.ptr, ldb: g4, c: dInputBlocks.ptr, ldc: features)
        for block in 0..<blocks {
            let start = block * l
            storeInputGradient(block, start: start, count: min(l, batch - start), into: dInput)
        }
    }

    /// dL/dh of the gradient record += dL/dh of output position `position` for the block's lanes.
    private func addOutputGradient(_ dy: Tensor, position: Int, positions: Int, start: Int, count: Int,
                                   _ placement: LSTMInference.Placement) {
        let u = units, l = Self.lanes, dh = gradientRecord.ptr + GradientRow.h * l
        let unitStride = GradientRow.count * l
        let row = placement.reversed ? positions - 1 - position : position
        for k in 0..<count {
            let src = dy.ptr + ((start + k) * positions + row) * placement.width + placement.offset
            for j in 0..<u { dh[j * unitStride + k] += src[j] }
        }
    }

    /// Gate gradients of a step from its record and the dL/dh, dL/dc of the gradient record;
    /// leaves dL/dc of the previous step there.
    private func cellBackward(previous: UnsafePointer<Float>, current: UnsafePointer<Float>) {
        let l = Self.lanes, unitStride = Row.count * l, gradientStride = GradientRow.count * l
        for j in 0..<units {
            let q = current + j * unitStride, cPrevious = previous + j * unitStride + Row.c * l
            let d = gradientRecord.ptr + j * gradientStride
            for k in 0..<l {
                let g = LSTMCellMath.cellBackward(i: q[k], f: q[l + k], g: q[2 * l + k], o: q[3 * l + k],
                                                  cPrev: cPrevious[k], tanhC: q[Row.tanhC * l + k],
                                                  dh: d[GradientRow.h * l + k], dc: d[GradientRow.c * l + k])
                d[k] = g.i
                d[l + k] = g.f
                d[2 * l + k] = g.g
                d[3 * l + k] = g.o
                d[GradientRow.c * l + k] = g.cPrev
            }
        }
    }

    /// The gate gradients of the gradient record into dGates at `column`, for the GEMMs.
    private func storeGateGradients(column: Int) {
        let u = units, l = Self.lanes
        for r in 0..<(4 * u) {
            copyRow(gradientRecord.ptr + gradientRowOffsets[r], to: dGates.ptr + r * columns + column, count: l)
        }
    }

    /// dL/dh of the gradient record ← Wh·(gate gradients) (dL/dh of the previous step), two
    /// units of 32 lanes at a time.
    private func recurrentGradient(_ wh: UnsafePointer<Float>) {
        let u = units, g4 = 4 * u, l = Self.lanes, gradientStride = GradientRow.count * l
        let d = gradientRecord.ptr
        var j = 0
        while j < u {
            let second = j + 1 < u ? j + 1 : j
            var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0
            for r in 0..<g4 {
                let w0 = SIMD8<Float>(repeating: wh[j * g4 + r]), w1 = SIMD8<Float>(repeating: wh[second * g4 + r])
                let row = d + gradientRowOffsets[r]
                let d0 = load8(row), d1 = load8(row + 8), d2 = load8(row + 16), d3 = load8(row + 24)
                a0 = a0.addingProduct(w0, d0); a1 = a1.addingProduct(w0, d1)
                a2 = a2.addingProduct(w0, d2); a3 = a3.addingProduct(w0, d3)
                c0 = c0.addingProduct(w1, d0); c1 = c1.addingProduct(w1, d1)
                c2 = c2.addingProduct(w1, d2); c3 = c3.addingProduct(w1, d3)
            }
            let q0 = d + j * gradientStride + GradientRow.h * l, q1 = d + second * gradientStride + GradientRow.h * l
            store8(a0, q0); store8(a1, q0 + 8); store8(a2, q0 + 16); store8(a3, q0 + 24)
            store8(c0, q1); store8(c1, q1 + 8); store8(c2, q1 + 16); store8(c3, q1 + 24)
            j += 2
        }
    }

    /// bias[r] ← Σ of row r of dGates.
    private func rowSums(into bias: UnsafeMutablePointer<Float>) {
        let n = columns
        for r in 0..<(4 * units) {
            let row = dGates.ptr + r * n
            var acc = SIMD8<Float>()
            for k in stride(from: 0, to: n, by: 8) { acc += load8(row + k) }
            bias[r] = acc.sum()
        }
    }

    /// dInput[start + k, time(s)] ← the block's row s·lanes + k of dInputBlocks for its real lanes.
    private func storeInputGradient(_ block: Int, start: Int, count: Int, into dInput: Tensor) {
        let l = Self.lanes, f = features, rows = dInputBlocks.ptr + block * stepColumns * f
        for k in 0..<count {
            let sample = dInput.ptr + (start + k) * steps * f
            for s in 0..<steps { copyRow(rows + (s * l + k) * f, to: sample + time(s) * f, count: f) }
        }
    }

    /// A row of a few floats, 8 at a time: a memcpy call per row cost more than the copy.
    @inline(__always)
    private func copyRow(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var e = 0
        while e + 8 <= count { store8(load8(src + e), dst + e); e += 8 }
        while e < count { dst[e] = src[e]; e += 1 }
    }
}
