import Foundation
import NeuralNet

/// Samples in memory: images laid out as the model's input, with their class indices.
public struct LabelledSamples {
    public var images: [Float]
    public var labels: [Int]
    public var count: Int { labels.count }
    public init(images: [Float], labels: [Int]) { self.images = images; self.labels = labels }
}

/// What fine-tuning reports as it goes.
public enum FineTuneEvent: Sendable {
    case stage(String)
    case step(done: Int, total: Int, loss: Double)
    case evaluated(step: Int, accuracy: Double?, loss: Double)
    case round(index: Int, rounds: Int, pseudoLabels: Int, pseudoAccuracy: Double?, validationAccuracy: Double?)
}

/// The outcome of a fine-tune, recorded in the classifier file.
public struct FineTuneRecord: Codable, Equatable, Sendable {
    public var trainingSamples = 0
    public var validationSamples = 0
    public var unlabelledSamples = 0
    /// Held-out accuracy after stage 1 and after each self-training round.
    public var validationAccuracy: [Double] = []
    /// Which of those the saved weights are (0: stage 1, k: after round k).
    public var keptStage = 0
    public var seconds = 0.0
    public init() {}
    enum CodingKeys: String, CodingKey {
        case trainingSamples = "training_samples", validationSamples = "validation_samples"
        case unlabelledSamples = "unlabelled_samples", validationAccuracy = "validation_accuracy"
        case keptStage = "kept_stage", seconds
    }
}

/// Trains a classifier (encoder + softmax head) on labelled samples, optionally helped by
/// unlabelled ones: stage 1 trains the head (the encoder frozen or slow) on shifted copies of
/// the labelled images; stage 2 pseudo-labels the unlabelled images, class by class the most
/// confident (by label propagation over the nearest neighbours in the starting encoder's code,
/// or by the classifier's own predictions), and trains every layer on them and the labelled
/// ones, for a few rounds. The held-out labelled slice picks the weights kept.
public final class FineTune {
    public let model: Sequential
    public let options: FineTuneOptions
    public let classes: Int
    let height: Int, width: Int, channels: Int
    let encoderParameters: [Parameter]
    let headParameters: [Parameter]
    let headKernel: Parameter
    var rng: SeededRandom
    /// Called after stage 1 (0) and after each self-training round (1, 2, ...), before the best weights are restored.
    public var stageFinished: ((Int) -> Void)?
    private let batch = Tensor()
    private let grad = Tensor()
    private let targets = Tensor()
    private let pair = Tensor()
    /// The pair's probabilities, reused from step to step.
    private var pairProbabilities: [Float] = []

    public init(model: Sequential, classes: Int, height: Int, width: Int, channels: Int, options: FineTuneOptions) {
        self.model = model; self.classes = classes; self.options = options
        self.height = height; self.width = width; self.channels = channels
        let n = ClassifierArchitecture.encoderLayerCount(model.architecture)
        encoderParameters = model.layers[..<n].flatMap(\.parameters)
        headParameters = model.layers[n...].flatMap(\.parameters)
        headKernel = (model.layers.last as! Dense).kernel
        rng = SeededRandom(seed: options.seed &+ 0xF17E)
    }

    var itemSize: Int { height * width * channels }

    /// Splits `samples` into (training, held-out): a stratified `fraction` of each class, at
    /// least one of a class with two or more samples when the fraction is positive.
    public static func split(_ samples: LabelledSamples, fraction: Double, seed: UInt64) -> (LabelledSamples, LabelledSamples) {
        guard fraction > 0 else { return (samples, LabelledSamples(images: [], labels: [])) }
        var rng = SeededRandom(seed: seed &+ 0x5917)
        let size = samples.count == 0 ? 0 : samples.images.count / samples.count
        var held = Set<Int>()
        let byClass = Dictionary(grouping: samples.labels.indices, by: { samples.labels[$0] })
        for key in byClass.keys.sorted() {
            var members = byClass[key]!
            guard members.count >= 2 else { continue }
            members.shuffle(using: &rng)
            let k = min(members.count - 1, max(1, Int((Double(members.count) * fraction).rounded())))
            held.formUnion(members.prefix(k))
        }
        var train = LabelledSamples(images: [], labels: []), val = LabelledSamples(images: [], labels: [])
        for i in samples.labels.indices {
            let img = samples.images[(i * size)..<((i + 1) * size)]
            if held.contains(i) { val.images += img; val.labels.append(samples.labels[i]) } else { train.images += img; train.labels.append(samples.labels[i]) }
        }
        return (train, val)
    }

    /// Runs the recipe; the model ends with the weights of the best held-out accuracy, the later
    /// stage on a tie (a held-out slice of a few labels ties often, and self-training rounds are
    /// expected to improve), or the last stage's when nothing, or fewer than
    /// `options.keepLastBelow` samples, are held out.
    public func run(labelled: LabelledSamples, validation: LabelledSamples, unlabelled: [Float]?,
                    progress: ((FineTuneEvent) -> Void)? = nil) -> FineTuneRecord {
        let started = Date()
        var record = FineTuneRecord()
        record.trainingSamples = labelled.count
        record.validationSamples = validation.count
        let unlabelledCount = (unlabelled?.count ?? 0) / itemSize
        record.unlabelledSamples = unlabelledCount
        var best: (accuracy: Double, stage: Int, weights: [Tensor])?
        func consider(_ stage: Int) {
            stageFinished?(stage)
            let acc = validation.count > 0 ? accuracy(validation) : nil
            record.validationAccuracy.append(acc ?? .nan)
            if let acc, best == nil || acc >= best!.accuracy {
                best = (acc, stage, model.parameters.map { $0.value.clone() })
            }
        }
        let propagating = options.propagationNeighbours > 0 && unlabelledCount > options.propagationNeighbours && options.rounds > 0
        // The graph on the code before any training (each arm's own starting encoder), when asked for.
        var initialGraph: LabelPropagation.Neighbours?
        if propagating, let unlabelled, !options.propagationCurrent {
            progress?(.stage("label propagation: \(options.propagationNeighbours)-nearest-neighbour graph of the starting encoder's code"))
            initialGraph = graph(unlabelled, count: unlabelledCount, labelled: labelled)
        }
        progress?(.stage("stage 1: \(options.steps) steps on shifted copies of the \(labelled.count) labelled samples" + (options.encoderRate > 0 ? "" : " (encoder frozen)")))
        train(labelled.images, labelled.labels, steps: options.steps, batchSize: min(options.batchSize, labelled.count),
              headRate: options.learningRate, encoderRate: options.learningRate * options.encoderRate,
              weightDecay: options.weightDecay, unlabelled: unlabelled, ramp: options.steps / 2, progress: progress)
        consider(0)
        if let unlabelled, unlabelledCount > 0, options.rounds > 0 {
            for r in 0..<options.rounds {
                let k = options.pseudoPerClass.isEmpty ? 1000 : options.pseudoPerClass[min(r, options.pseudoPerClass.count - 1)]
                // Pseudo-labels from the classifier, or propagated on the code (optionally mixed with the classifier's).
                let p = propagating && options.propagationMix == 0 ? [] : probabilities(unlabelled, count: unlabelledCount)
                let decisions = propagating
                    ? propagatedDecisions(initialGraph ?? graph(unlabelled, count: unlabelledCount, labelled: labelled),
                                          labelled: labelled, unlabelledCount: unlabelledCount, classifier: p)
                    : FineTune.decisions(p, classes: classes)
                let (chosen, pseudo) = FineTune.pseudoLabels(decisions, classes: classes, perClass: k)
                // The labelled samples go in as many times as it takes to be about a tenth of the set.
                let repeats = max(1, chosen.count / max(1, 10 * labelled.count))
                var images: [Float] = [], labels: [Int] = []
                images.reserveCapacity((chosen.count + repeats * labelled.count) * itemSize)
                unlabelled.withUnsafeBufferPointer { u in
                    for i in chosen { images += u[(i * itemSize)..<((i + 1) * itemSize)] }
                }
                labels += pseudo
                for _ in 0..<repeats { images += labelled.images; labels += labelled.labels }
                progress?(.stage("round \(r + 1)/\(options.rounds): \(chosen.count) pseudo-labels" + (propagating ? " (propagated on the code)" : "")
                                 + " + \(repeats)× the labelled samples"))
                train(images, labels, steps: options.roundSteps, batchSize: options.batchSize,
                      headRate: options.roundLearningRate, encoderRate: options.roundLearningRate, weightDecay: 0,
                      unlabelled: unlabelled, progress: progress)
                consider(r + 1)
                progress?(.round(index: r + 1, rounds: options.rounds, pseudoLabels: chosen.count, pseudoAccuracy: nil,
                                 validationAccuracy: validation.count > 0 ? record.validationAccuracy.last : nil))
            }
        }
        if let best, validation.count >= options.keepLastBelow {
            for (p, w) in zip(model.parameters, best.weights) { p.value.copy(from: w) }
            record.keptStage = best.stage
        } else {
            record.keptStage = record.validationAccuracy.count - 1
        }
        record.seconds = Date().timeIntervalSince(started)
        return record
    }

    /// The current encoder's code of `count` images laid out as the model's input, [count × code size].
    public func codes(_ images: [Float], count: Int, batchSize: Int = 1000) -> (codes: [Float], dimension: Int) {
        var out: [Float] = []
        var dimension = 0
        let x = Tensor()
        var start = 0
        while start < count {
            let m = min(batchSize, count - start)
            x.resize([m] + model.inputShape)
            images.withUnsafeBufferPointer { x.ptr.update(from: $0.baseAddress! + start * itemSize, count: m * itemSize) }
            let z = try! model.encode(x)
            dimension = z.count / m
            out.append(contentsOf: UnsafeBufferPointer(start: z.ptr, count: z.count))
            start += m
        }
        return (out, dimension)
    }

    /// The k-nearest-neighbour graph of the current code of the unlabelled images followed by the labelled ones.
    func graph(_ unlabelled: [Float], count: Int, labelled: LabelledSamples) -> LabelPropagation.Neighbours {
        let (codes, dimension) = self.codes(unlabelled + labelled.images, count: count + labelled.count)
        return LabelPropagation.neighbours(features: codes, count: count + labelled.count, dimension: dimension,
                                           k: options.propagationNeighbours, parallelism: model.parallelism)
    }

    /// Labels propagated from the labelled nodes (after the unlabelled ones in `graph`) to the
    /// unlabelled ones; with `options.propagationMix` > 0 the classifier's probabilities are
    /// mixed into each node's normalised distribution.
    func propagatedDecisions(_ graph: LabelPropagation.Neighbours, labelled: LabelledSamples, unlabelledCount: Int,
                             classifier: [Float]) -> [(label: Int, confidence: Float)] {
        let seeds = labelled.labels.enumerated().map { (node: unlabelledCount + $0.offset, label: $0.element) }
        var f = LabelPropagation.propagate(graph, seeds: seeds, classes: classes, alpha: options.propagationAlpha,
                                           parallelism: model.parallelism)
        f.removeLast(labelled.count * classes)
        let m = options.propagationMix
        if m > 0 {
            for i in 0..<unlabelledCount {
                var sum: Float = 0
                for c in 0..<classes { sum += f[i * classes + c] }
                let s: Float = sum > 0 ? 1 / sum : 0
                for c in 0..<classes { f[i * classes + c] = (1 - m) * s * f[i * classes + c] + m * classifier[i * classes + c] }
            }
        }
        return LabelPropagation.decisions(f, classes: classes)
    }

    /// The classifier's predictions: each row's class (argmax, lowest index on a tie) and its probability.
    static func decisions(_ p: [Float], classes: Int) -> [(label: Int, confidence: Float)] {
        (0..<(p.count / classes)).map { i in
            var top = 0
            for k in 1..<classes where p[i * classes + k] > p[i * classes + top] { top = k }
            return (top, p[i * classes + top])
        }
    }

    /// For each class, the `perClass` samples given that class most confidently (fewer when fewer
    /// are given it); positions ascending, with their classes.
    static func pseudoLabels(_ decisions: [(label: Int, confidence: Float)], classes: Int, perClass: Int) -> ([Int], [Int]) {
        var byClass = [[(Float, Int)]](repeating: [], count: classes)
        for (i, d) in decisions.enumerated() { byClass[d.label].append((d.confidence, i)) }
        var chosen: [(Int, Int)] = []
        for (k, members) in byClass.enumerated() {
            // Most confident first; ties by position, so the choice is deterministic.
            let sorted = members.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            chosen += sorted.prefix(perClass).map { ($0.1, k) }
        }
        chosen.sort { $0.0 < $1.0 }
        return (chosen.map(\.0), chosen.map(\.1))
    }

    /// Class probabilities [count × classes] of images laid out as the model's input.
    public func probabilities(_ images: [Float], count: Int) -> [Float] {
        Classifier.probabilities(model: model, images: images, count: count, classes: classes)
    }

    public func accuracy(_ samples: LabelledSamples) -> Double {
        let p = probabilities(samples.images, count: samples.count)
        var right = 0
        for (i, l) in samples.labels.enumerated() {
            var top = 0
            for k in 1..<classes where p[i * classes + k] > p[i * classes + top] { top = k }
            if top == l { right += 1 }
        }
        return Double(right) / Double(max(1, samples.count))
    }

    /// Mini-batches drawn with replacement, each image shifted at random; Adam on the head and,
    /// with a positive rate, on the encoder (each part its own optimiser and learning rate).
    /// With a consistency weight and unlabelled images, each batch also carries as many
    /// unlabelled images, whose targets are the predictions on other shifts of them (`Consistency`);
    /// `ramp` steps bring the weight up linearly from 0.
    /// OpenBLAS runs on one thread throughout (the model's own pieces are the threads), as in
    /// `Trainer`: the result of an OpenBLAS call can depend on its thread count, and the weights
    /// must not depend on `--threads`.
    func train(_ images: [Float], _ labels: [Int], steps: Int, batchSize: Int, headRate: Float, encoderRate: Float,
               weightDecay: Float, unlabelled: [Float]? = nil, ramp: Int = 0, progress: ((FineTuneEvent) -> Void)?) {
        Parallelism.withSingleThreadedBLAS {
            trainSteps(images, labels, steps: steps, batchSize: batchSize, headRate: headRate, encoderRate: encoderRate,
                       weightDecay: weightDecay, unlabelled: unlabelled, ramp: ramp, progress: progress)
        }
    }

    private func trainSteps(_ images: [Float], _ labels: [Int], steps: Int, batchSize: Int, headRate: Float, encoderRate: Float,
                            weightDecay: Float, unlabelled: [Float]?, ramp: Int, progress: ((FineTuneEvent) -> Void)?) {
        let head = Adam(parameters: headParameters, learningRate: headRate)
        let encoder = encoderRate > 0 ? Adam(parameters: encoderParameters, learningRate: encoderRate) : nil
        let consistent = options.consistency > 0 ? unlabelled.flatMap { $0.isEmpty ? nil : $0 } : nil
        let extra = consistent == nil ? 0 : batchSize
        var batchLabels = [Int](repeating: 0, count: batchSize)
        for step in 0..<steps {
            batch.resize([batchSize + extra] + model.inputShape)
            for b in 0..<batchSize {
                let i = Int(rng.next() % UInt64(labels.count))
                batchLabels[b] = labels[i]
                images.withUnsafeBufferPointer { copyShifted($0.baseAddress! + i * itemSize, into: batch.ptr + b * itemSize) }
            }
            let loss: Double
            if let consistent {
                let weight = options.consistency * (ramp > 0 ? min(1, Float(step + 1) / Float(ramp)) : 1)
                let p = consistencyTargets(consistent, rows: batchSize..<(batchSize + extra))
                Consistency.targets(labels: batchLabels, targetProbabilities: p, classes: classes, weight: weight, into: targets)
                loss = SoftmaxCrossEntropy.compute(logits: model.forwardRaw(batch, training: true), targets: targets, grad: grad)
            } else {
                loss = SoftmaxCrossEntropy.compute(logits: model.forwardRaw(batch, training: true), labels: batchLabels, grad: grad)
            }
            model.backward(grad)
            if weightDecay > 0 {
                let w = headKernel.value.ptr, g = headKernel.grad.ptr
                for j in 0..<headKernel.count { g[j] += 2 * weightDecay * w[j] }
            }
            encoder?.update()
            head.update()
            if step % 10 == 9 || step == steps - 1 { progress?(.step(done: step + 1, total: steps, loss: loss)) }
        }
    }

    /// Puts random unlabelled images, shifted, in `rows` of the batch and returns the classifier's
    /// probabilities for other random shifts of the same images.
    func consistencyTargets(_ unlabelled: [Float], rows: Range<Int>) -> [Float] {
        let count = unlabelled.count / itemSize
        pair.resize([rows.count] + model.inputShape)
        unlabelled.withUnsafeBufferPointer { src in
            for (j, row) in rows.enumerated() {
                let from = src.baseAddress! + Int(rng.next() % UInt64(count)) * itemSize
                copyShifted(from, into: pair.ptr + j * itemSize)
                copyShifted(from, into: batch.ptr + row * itemSize)
            }
        }
        let logits = model.forwardRaw(pair, training: false)
        pairProbabilities.removeAll(keepingCapacity: true)
        pairProbabilities.append(contentsOf: repeatElement(0, count: rows.count * classes))
        SoftmaxCrossEntropy.probabilities(logits.ptr, rows: rows.count, classes: classes, into: &pairProbabilities)
        return pairProbabilities
    }

    /// One image moved by a random shift of up to `options.shift` pixels each way.
    func copyShifted(_ from: UnsafePointer<Float>, into to: UnsafeMutablePointer<Float>) {
        let shift = options.shift
        guard shift > 0 else { to.update(from: from, count: itemSize); return }
        let dy = Int(rng.next() % UInt64(2 * shift + 1)) - shift
        let dx = Int(rng.next() % UInt64(2 * shift + 1)) - shift
        ImageShift.shift(from, into: to, height: height, width: width, channels: channels, dy: dy, dx: dx)
    }
}
