import Foundation

/// Mini-batch training with Adam: shuffling every epoch, optional denoising noise, a
/// validation loss per epoch, early stopping, and a guard against a diverging loss.
public final class Trainer {
    public let model: Sequential
    public let options: TrainingOptions
    public let optimizer: Adam
    public private(set) var history = TrainingHistory()
    /// Generator for shuffles and noise; its state is part of a checkpoint.
    public var rng: SeededRandom
    /// The sample order, reshuffled in place every epoch (part of a checkpoint, like `rng`).
    public internal(set) var order: [Int] = []
    /// Early stopping: best validation loss so far, its epoch, and its weights when they are to be restored.
    public internal(set) var best: (loss: Double, epoch: Int, weights: [Tensor])?
    /// Called after every completed epoch, early-stopping bookkeeping included (a checkpoint writer).
    public var epochCompleted: ((Trainer) throws -> Void)?

    // Internal (not private) so tests can see what the last step trained on. The input
    // buffer is used only when denoising (and by `evaluate`).
    let batchInput = Tensor()
    let batchTarget = Tensor()
    private let gradient = Tensor()
    private let noise = GaussianNoise()
    /// For models that train a batch in chunks (`Sequential.trainingChunk`): a worker per
    /// thread, each on its own replica of the model, and the chunks' gradients.
    private lazy var parts: [ChunkedPart] = {
        let chunks = model.trainingChunk.map { (options.batchSize + $0 - 1) / $0 } ?? 1
        return (0..<min(model.parallelism.parts, chunks)).map { _ in ChunkedPart(model: model.replica()) }
    }()
    private lazy var gradientSum = GradientSum(parameters: model.parameters)

    public init(model: Sequential, options: TrainingOptions) {
        self.model = model
        self.options = options
        self.optimizer = Adam(parameters: model.parameters, learningRate: options.learningRate)
        optimizer.parallelism = model.parallelism
        // A stream separate from weight initialisation, so changing epochs doesn't change initial weights.
        self.rng = SeededRandom(seed: options.seed &+ 0x5EED)
    }

    /// Trains on `x` (targets = `x`: an autoencoder), samples along the first axis.
    @discardableResult
    public func fit(_ x: Tensor, validation: Tensor? = nil,
                    progress: ((TrainingEvent) -> Void)? = nil) throws -> TrainingHistory {
        try Parallelism.withSingleThreadedBLAS { try fitEpochs(x, validation: validation, progress: progress) }
    }

    private func fitEpochs(_ x: Tensor, validation: Tensor?, progress: ((TrainingEvent) -> Void)?) throws -> TrainingHistory {
        let n = x.batch
        guard n > 0 else { throw TrainingError.noData }
        guard x.itemCount == Tensor.elementCount(model.inputShape) else {
            throw TrainingError.shapeMismatch(expected: model.inputShape, got: Array(x.shape.dropFirst()))
        }
        if order.count != n { order = Array(0..<n) }
        let startEpoch = history.loss.count
        for epoch in startEpoch..<options.epochs {
            let started = Date()
            if options.shuffle { order.shuffle(using: &rng) }
            let trainLoss = try runEpoch(x, order: order, epoch: epoch, progress: progress)
            let valLoss = validation.map { evaluate($0) }
            let seconds = Date().timeIntervalSince(started)
            history.loss.append(trainLoss)
            if let v = valLoss { history.validationLoss.append(v) }
            history.epochSeconds.append(seconds)
            history.keptEpoch = epoch
            progress?(.epochEnd(epoch: epoch, epochs: options.epochs, loss: trainLoss, validationLoss: valLoss, seconds: seconds))

            if let patience = options.patience, let v = valLoss {
                if best == nil || v < best!.loss {
                    best = (v, epoch, options.restoreBestWeights ? model.parameters.map { $0.value.clone() } : [])
                } else if epoch - best!.epoch >= patience {
                    history.stoppedEarly = true
                    break
                }
            }
            try epochCompleted?(self)
        }
        if let b = best, options.restoreBestWeights, history.stoppedEarly || b.epoch != history.loss.count - 1 {
            for (p, w) in zip(model.parameters, b.weights) { p.value.copy(from: w) }
            history.keptEpoch = b.epoch
        }
        return history
    }

    /// Mean loss over `x` in inference mode (no noise, no update).
    public func evaluate(_ x: Tensor) -> Double {
        Parallelism.withSingleThreadedBLAS { meanLoss(x) }
    }

    private func meanLoss(_ x: Tensor) -> Double {
        var total = 0.0
        var start = 0
        while start < x.batch {
            let m = min(options.batchSize, x.batch - start)
            x.rows(start, m, into: batchInput)
            batchInput.reshape([m] + model.inputShape)
            let out = model.forwardRaw(batchInput, training: false)
            total += model.loss(rawOutput: out, target: batchInput) * Double(m)
            start += m
        }
        return total / Double(x.batch)
    }

    /// Restores a state saved mid-training (see Checkpoint).
    public func restore(history: TrainingHistory, rng: SeededRandom, optimizerStep: Int) {
        self.history = history
        self.rng = rng
        optimizer.restore(step: optimizerStep)
    }

    private func runEpoch(_ x: Tensor, order: [Int], epoch: Int, progress: ((TrainingEvent) -> Void)?) throws -> Double {
        let n = x.batch
        let steps = (n + options.batchSize - 1) / options.batchSize
        var total = 0.0
        for step in 0..<steps {
            let lo = step * options.batchSize, hi = min(n, lo + options.batchSize)
            let loss = trainStep(x, order[lo..<hi])
            guard loss.isFinite else { throw TrainingError.nonFinite(epoch: epoch, step: step, loss: loss) }
            total += loss * Double(hi - lo)
            progress?(.step(epoch: epoch, epochs: options.epochs, step: step, steps: steps, loss: loss))
        }
        return total / Double(n)
    }

    /// One forward/backward/update on the samples of x at `indices`; returns the batch loss.
    private func trainStep(_ x: Tensor, _ indices: ArraySlice<Int>) -> Double {
        let n = indices.count, chunk = model.trainingChunk.flatMap { $0 < n ? $0 : nil }
        // In chunks each core copies its own chunks' samples, unless noise is first drawn over the batch.
        let chunksGather = chunk != nil && !denoising
        if chunksGather {
            batchTarget.resize([n] + Array(model.inputShape))
        } else {
            gather(x, indices)
        }
        let input = denoising ? batchInput : batchTarget
        guard let chunk else {
            let out = model.forwardRaw(input, training: true)
            let loss = model.loss(rawOutput: out, target: batchTarget, grad: gradient)
            model.backward(gradient)
            optimizer.update()
            return loss
        }
        // Each thread trains whole chunks on its own replica, both directions of a Bidirectional
        // one after the other: one hand-off per batch, not four per chunk. The threads take the
        // next chunk as they finish one; the sum is in chunk order all the same.
        let (parts, sums, target) = (parts, gradientSum, batchTarget)
        for part in parts { part.model.copyWeights(from: model) }
        let starts = Array(stride(from: 0, to: n, by: chunk))
        sums.reserve(starts.count)
        let losses = UnsafeMutableBufferPointer<Double>.allocate(capacity: starts.count)
        defer { losses.deallocate() }
        Parallelism(parts: parts.count).forEach(starts.count) { i, part in
            let rows = starts[i]..<min(n, starts[i] + chunk)
            if chunksGather { copySamples(x, indices, rows: rows) }
            losses[i] = parts[part].train(input: input, target: target, rows: rows, index: i, sums: sums)
        }
        let weights = starts.map { Double(min(n, $0 + chunk) - $0) / Double(n) }
        sums.store(weights: weights.map(Float.init))
        optimizer.update()
        return zip(weights, losses).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Rows `rows` of the batch target ← the samples of x at those positions of `indices`.
    private func copySamples(_ x: Tensor, _ indices: ArraySlice<Int>, rows: Range<Int>) {
        let item = x.itemCount
        for row in rows {
            (batchTarget.ptr + row * item).update(from: x.ptr + indices[indices.startIndex + row] * item, count: item)
        }
    }

    private var denoising: Bool { (options.noise ?? 0) > 0 }

    /// Copies the chosen samples into the batch target; when denoising, the input is a noisy
    /// copy of it, otherwise the target itself is the input.
    private func gather(_ x: Tensor, _ indices: ArraySlice<Int>) {
        batchTarget.resize([indices.count] + Array(model.inputShape))
        copySamples(x, indices, rows: 0..<indices.count)
        guard denoising, let sigma = options.noise else { return }
        batchInput.copy(from: batchTarget)
        noise.add(sigma: sigma, to: batchInput, rng: &rng, parallelism: model.parallelism)
    }
}
