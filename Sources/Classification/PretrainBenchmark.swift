import DataIO
import Foundation
import NeuralNet

/// The pretraining benchmark: classifiers fine-tuned from an autoencoder's encoder against the
/// same layers from fresh weights, on a few labelled training images, with the learning rate of
/// each chosen on held-out labelled images and the accuracy measured on the test set.
///
/// The labelled subsets are drawn (an equal number per class, seeded) from the first
/// `poolCount` training images; the remaining training images are the validation set that
/// chooses the learning rate (on the first subset); every training image, without its label,
/// is available for self-training, as it was for fitting the autoencoder.
public struct PretrainBenchmark {
    public var labelCounts = [100, 1000]
    public var subsets = 3
    public var learningRates: [Float] = [0.001, 0.003]
    public var poolCount = 50_000
    public var seed: UInt64 = 0
    /// Changes to the recipe (for screening); applied to both modes.
    public var adjust: (inout FineTuneOptions) -> Void = { _ in }
    /// Changes to the pretrained arm only (for screening).
    public var adjustPretrained: (inout FineTuneOptions) -> Void = { _ in }
    /// Report the validation accuracy after every stage (for screening).
    public var trace = false
    /// The arms to run: pretrained (true) and fresh weights (false).
    public var modes = [true, false]
    /// Screening: leave the test set alone (test accuracy NaN) so settings are compared on validation only.
    public var measureTest = true

    public init() {}

    public struct Run: Sendable {
        public let subset: Int
        public let learningRate: Float
        public let validationAccuracy: Double
        public let testAccuracy: Double
        public let seconds: Double
    }

    /// One mode (pretrained or scratch) at one label count.
    public struct Arm: Sendable {
        public let pretrained: Bool
        public let labels: Int
        /// The first subset at every learning rate (the choice), then the other subsets at the chosen one.
        public let runs: [Run]
        public var chosenRate: Float { runs.filter { $0.subset == 0 }.max { $0.validationAccuracy < $1.validationAccuracy }!.learningRate }
        public var chosen: [Run] {
            let rate = chosenRate
            return runs.filter { $0.learningRate == rate }.sorted { $0.subset < $1.subset }
        }
        public var testMean: Double { chosen.map(\.testAccuracy).reduce(0, +) / Double(chosen.count) }
        public var validationMean: Double { chosen.map(\.validationAccuracy).reduce(0, +) / Double(chosen.count) }
        public var testSD: Double {
            let m = testMean, c = chosen
            guard c.count > 1 else { return 0 }
            return (c.map { ($0.testAccuracy - m) * ($0.testAccuracy - m) }.reduce(0, +) / Double(c.count - 1)).squareRoot()
        }
    }

    /// `perClass` positions of each class among `labels[range]`, drawn with `seed`.
    public static func subset(labels: [Int], range: Range<Int>, perClass: Int, classes: Int, seed: UInt64) -> [Int] {
        var rng = SeededRandom(seed: seed &+ 0x1AB5)
        var chosen: [Int] = []
        for c in 0..<classes {
            var members = range.filter { labels[$0] == c }
            members.shuffle(using: &rng)
            chosen += members.prefix(perClass)
        }
        return chosen.sorted()
    }

    static func gather(_ data: Dataset, _ positions: [Int]) -> LabelledSamples {
        var images: [Float] = []
        images.reserveCapacity(positions.count * data.imageSize)
        for p in positions { images += data.image(p) }
        return LabelledSamples(images: images, labels: positions.map { data.labels![$0] })
    }

    /// Runs both modes at every label count for one autoencoder (architecture + fitted model).
    public func run(autoencoder: Sequential, train: Dataset, test: Dataset,
                    progress: ((String) -> Void)? = nil) throws -> [Arm] {
        let classes = (train.labels!.max() ?? 0) + 1
        let architecture = try ClassifierArchitecture.make(from: autoencoder.architecture, classes: classes)
        let validation = PretrainBenchmark.gather(train, Array(poolCount..<train.count))
        let testSamples = PretrainBenchmark.gather(test, Array(0..<test.count))
        var arms: [Arm] = []
        for labels in labelCounts {
            let subsetSamples = (0..<subsets).map {
                PretrainBenchmark.gather(train, PretrainBenchmark.subset(labels: train.labels!, range: 0..<poolCount,
                                                                         perClass: labels / classes, classes: classes, seed: seed &+ UInt64($0)))
            }
            for pretrained in modes {
                var runs: [Run] = []
                func one(_ s: Int, _ rate: Float) throws -> Run {
                    var options = FineTune.recipe(scratch: !pretrained)
                    options.seed = seed &+ UInt64(s)
                    options.learningRate = rate
                    options.roundLearningRate = rate / 3
                    adjust(&options)
                    if pretrained { adjustPretrained(&options) }
                    let model = try Sequential(architecture: architecture, seed: seed &+ UInt64(s))
                    if pretrained { try ClassifierArchitecture.copyEncoder(from: autoencoder, to: model) }
                    let job = FineTune(model: model, classes: classes, height: train.height, width: train.width,
                                       channels: train.channels, options: options)
                    if trace {
                        job.stageFinished = { stage in
                            progress?(String(format: "  stage %d: validation %.4f", stage, job.accuracy(validation)))
                        }
                    }
                    let (t, v) = FineTune.split(subsetSamples[s], fraction: options.validationFraction, seed: options.seed)
                    let record = job.run(labelled: t, validation: v, unlabelled: train.images)
                    let run = Run(subset: s, learningRate: rate, validationAccuracy: job.accuracy(validation),
                                  testAccuracy: measureTest ? job.accuracy(testSamples) : .nan, seconds: record.seconds)
                    progress?(String(format: "%@ %d labels, subset %d, lr %g: validation %.4f", pretrained ? "pretrained" : "scratch",
                                     labels, s, rate, run.validationAccuracy)
                              + (measureTest ? String(format: ", test %.4f", run.testAccuracy) : "")
                              + String(format: " (%.0f s, kept stage %d)", run.seconds, record.keptStage))
                    return run
                }
                for rate in learningRates { runs.append(try one(0, rate)) }
                let best = runs.max { $0.validationAccuracy < $1.validationAccuracy }!.learningRate
                for s in 1..<max(1, subsets) { runs.append(try one(s, best)) }
                arms.append(Arm(pretrained: pretrained, labels: labels, runs: runs))
            }
        }
        return arms
    }
}
