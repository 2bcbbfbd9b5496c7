/// Keras Bidirectional(LSTM): a forward LSTM and a go_backwards LSTM over the same input.
/// The backward layer returns its sequence in processing order, so (with
/// `returnSequences`) it is reversed back along time before merging, as Keras does.
/// `sum` → [T, u]; `concat` → [T, 2u], forward features first. Without
/// `returnSequences` the two last states are merged as they are.
public final class Bidirectional: InputGradientOptional, ThreadedLayer {
    public enum MergeMode: String, Codable, Sendable { case sum, concat }

    public let kind = "Bidirectional"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let merge: MergeMode
    public let forwardLayer: LSTM
    public let backwardLayer: LSTM
    public var parameters: [Parameter] { forwardLayer.parameters + backwardLayer.parameters }

    /// False on a model's first layer: backward then skips dX in both directions.
    public var needsInputGradient = true {
        didSet {
            forwardLayer.needsInputGradient = needsInputGradient
            backwardLayer.needsInputGradient = needsInputGradient
        }
    }

    public var parallelism = Parallelism.serial

    private let units: Int
    /// Positions along time in the output: T with returnSequences, else 1.
    private let positions: Int
    private let reversesBackward: Bool
    private let output = Tensor()
    private let dInput = Tensor()

    public init(inputShape: [Int], units: Int, returnSequences: Bool, merge: MergeMode,
                rng: inout SeededRandom) throws {
        // Keras builds the forward layer's weights first, then the backward layer's.
        forwardLayer = try LSTM(inputShape: inputShape, units: units, returnSequences: returnSequences,
                                paramPrefix: "forward_", rng: &rng)
        backwardLayer = try LSTM(inputShape: inputShape, units: units, returnSequences: returnSequences,
                                 goBackwards: true, paramPrefix: "backward_", rng: &rng)
        self.inputShape = inputShape
        self.units = units
        self.merge = merge
        self.positions = returnSequences ? inputShape[0] : 1
        self.reversesBackward = returnSequences
        let width = merge == .sum ? units : 2 * units
        self.outputShape = returnSequences ? [inputShape[0], width] : [width]
    }

    /// Position of the backward layer's output that lines up with output position p.
    @inline(__always) private func backwardPosition(_ p: Int) -> Int {
        reversesBackward ? positions - 1 - p : p
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        guard training else { return infer(x) }
        let (yf, yb) = bothDirections(batch: x.batch) { layer, _ in layer.forward(x, training: training) }
        output.resize([x.batch] + outputShape)
        mergeDirections(yf, yb, samples: 0..<x.batch)
        return output
    }

    /// Inference: the threads take blocks of the batch (LSTMInference.lanes samples, cut from
    /// the start of the batch whatever the thread count) and run both directions on each, the backward one merging straight into the output the forward one
    /// wrote: the block's input is read from memory once, and no merge pass follows.
    private func infer(_ x: Tensor) -> Tensor {
        forwardLayer.dropTape()
        backwardLayer.dropTape()
        output.resize([x.batch] + outputShape)
        let u = units, width = merge == .sum ? u : 2 * u
        let first = LSTMInference.Placement(width: width)
        let second = LSTMInference.Placement(width: width, offset: merge == .sum ? 0 : u,
                                             reversed: reversesBackward, accumulate: merge == .sum)
        let lanes = LSTMInference.lanes, blocks = (x.batch + lanes - 1) / lanes
        let threads = x.count * 4 * units >= Parallelism.minimumFloats ? parallelism : .serial
        forwardLayer.reserveThreads(threads.parts)
        backwardLayer.reserveThreads(threads.parts)
        threads.forEach(blocks) { b, thread in
            let block = b * lanes..<min((b + 1) * lanes, x.batch)
            forwardLayer.infer(x, samples: block, part: thread, into: output, placement: first)
            backwardLayer.infer(x, samples: block, part: thread, into: output, placement: second)
        }
        return output
    }

    /// The output rows of `samples` ← the merge of the two directions' outputs.
    private func mergeDirections(_ yf: Tensor, _ yb: Tensor, samples: Range<Int>) {
        let u = units, width = merge == .sum ? u : 2 * u
        for b in samples {
            for p in 0..<positions {
                let f = yf.ptr + (b * positions + p) * u
                let r = yb.ptr + (b * positions + backwardPosition(p)) * u
                let o = output.ptr + (b * positions + p) * width
                switch merge {
                case .sum: for j in 0..<u { o[j] = f[j] + r[j] }
                case .concat:
                    o.update(from: f, count: u)
                    (o + u).update(from: r, count: u)
                }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        // Each direction reads its part of dy in place, undoing the merge and the time reversal.
        let u = units, width = merge == .sum ? u : 2 * u
        let first = LSTMInference.Placement(width: width)
        let second = LSTMInference.Placement(width: width, offset: merge == .sum ? 0 : u, reversed: reversesBackward)
        let (dxf, dxb) = bothDirections(batch: dy.batch) { layer, part in
            layer.backward(dy, placement: part == 0 ? first : second)
        }
        guard needsInputGradient else { return dInput }
        dInput.copy(from: dxf)
        let d = dInput.ptr, e = dxb.ptr
        for i in 0..<dInput.count { d[i] += e[i] }
        return dInput
    }

    /// The two directions are independent, so each runs on its own thread (OpenBLAS single-
    /// threaded meanwhile: the per-step GEMMs are far too small to split), on a large enough batch.
    /// In the trainer's chunks, which already keep the threads busy, they run one after the other.
    private func bothDirections(batch: Int, _ body: (LSTM, Int) -> Tensor) -> (Tensor, Tensor) {
        guard batch >= 2, parallelism.parts > 1 else { return (body(forwardLayer, 0), body(backwardLayer, 1)) }
        let results = UnsafeMutablePointer<Tensor?>.allocate(capacity: 2)
        results.initialize(repeating: nil, count: 2)
        defer { results.deinitialize(count: 2); results.deallocate() }
        let layers = (forwardLayer, backwardLayer)
        parallelism.forEach(2) { direction, _ in
            results[direction] = body(direction == 0 ? layers.0 : layers.1, direction)
        }
        return (results[0]!, results[1]!)
    }
}
