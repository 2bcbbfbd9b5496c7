import DataIO
import Foundation
import NeuralNet

/// The standard one-class protocol: for a class k, fit on the training images of k (a
/// calibration slice held out, never trained on), score every test image, and measure
/// with "anomaly" = class ≠ k. The PCA baseline is fitted and calibrated on the same split.
public struct OneClassBenchmark {
    public var architecture: Architecture
    public var training: TrainingOptions
    public var scoring: ScoringRule
    public var threshold: ThresholdMethod = .quantile(0.99)
    public var calibrationFraction = 0.1
    /// Components of the PCA baseline; 0 skips it.
    public var pcaComponents = 32

    public init(architecture: Architecture, training: TrainingOptions, scoring: ScoringRule) {
        self.architecture = architecture; self.training = training; self.scoring = scoring
    }

    /// One method's figures for one normal class.
    public struct Result: Sendable {
        public let auroc: Double
        /// F1 at the calibrated threshold, anomalies positive.
        public let f1: Double
        /// Normal test images flagged / normal test images: the observed false-positive rate.
        public let flaggedNormals: Int
        public let normals: Int
        public let threshold: Double
        public let calibrationCount: Int
        /// The guaranteed bound of `quantile:q` (nil for other methods).
        public let falsePositiveBound: Double?
        public let seconds: Double
        public var observedFPR: Double { normals == 0 ? 0 : Double(flaggedNormals) / Double(normals) }
    }

    public struct ClassResult: Sendable {
        public let normalClass: Int
        public let trainingCount: Int
        public let network: Result
        public let pca: Result?
        /// Epochs actually run and the epoch kept (early stopping).
        public let epochsRun: Int
        public let keptEpoch: Int?
    }

    public func run(normalClass k: Int, train: Dataset, test: Dataset,
                    progress: ((TrainingEvent) -> Void)? = nil) throws -> ClassResult {
        guard let trainLabels = train.labels, let testLabels = test.labels else {
            throw DetectorError.input("the one-class benchmark needs labelled training and test images")
        }
        let preprocessing = try Preprocessing(for: architecture)
        try preprocessing.check(train, source: "training images")
        try preprocessing.check(test, source: "test images")
        let normal = Self.images(of: k, in: train, labels: trainLabels)
        guard normal.count >= 4 else { throw DetectorError.tooFewSamples("class \(k): \(normal.count) training images") }
        let anomalous = testLabels.map { $0 != k }

        var started = Date()
        var fit = DetectorFit(architecture: architecture, training: training, preprocessing: preprocessing)
        fit.calibrationFraction = calibrationFraction
        fit.threshold = threshold
        fit.scoring = scoring
        let (detector, _) = try fit.run(images: normal.images, count: normal.count, progress: progress)
        let scores = test.images.withUnsafeBufferPointer { detector.assess($0.baseAddress!, count: test.count).scores }
        let network = Self.measure(scores: scores, anomalous: anomalous, calibration: detector.calibration,
                                   seconds: Date().timeIntervalSince(started))

        var pca: Result?
        if pcaComponents > 0 {
            started = Date()
            let (trainIdx, calIdx) = try fit.split(count: normal.count)
            let d = preprocessing.imageSize
            let model = try Self.gather(normal.images, trainIdx, d).withUnsafeBufferPointer {
                try PCA.fit($0.baseAddress!, count: trainIdx.count, dimension: d, components: min(pcaComponents, d))
            }
            let calScores = Self.gather(normal.images, calIdx, d).withUnsafeBufferPointer {
                model.scores($0.baseAddress!, count: calIdx.count, preprocessing: preprocessing)
            }
            let testScores = test.images.withUnsafeBufferPointer {
                model.scores($0.baseAddress!, count: test.count, preprocessing: preprocessing)
            }
            pca = Self.measure(scores: testScores, anomalous: anomalous,
                               calibration: try Calibration.fit(scores: calScores, method: threshold),
                               seconds: Date().timeIntervalSince(started))
        }
        return ClassResult(normalClass: k, trainingCount: normal.count, network: network, pca: pca,
                           epochsRun: detector.history.loss.count, keptEpoch: detector.history.keptEpoch)
    }

    /// AUROC over all test images, and the counts at the calibrated threshold.
    static func measure(scores: [Double], anomalous: [Bool], calibration: Calibration, seconds: Double) -> Result {
        let cm = ConfusionMatrix(scores: scores, labels: anomalous, threshold: calibration.threshold)
        return Result(auroc: ROCCurve(scores: scores, labels: anomalous).auc ?? .nan, f1: cm.f1,
                      flaggedNormals: cm.falsePositives, normals: cm.negatives, threshold: calibration.threshold,
                      calibrationCount: calibration.scores.count, falsePositiveBound: calibration.falsePositiveBound,
                      seconds: seconds)
    }

    /// The images of one class, back to back, in data-set order.
    static func images(of k: Int, in data: Dataset, labels: [Int]) -> (images: [Float], count: Int) {
        let chosen = labels.indices.filter { labels[$0] == k }
        return (gather(data.images, chosen, data.imageSize), chosen.count)
    }

    static func gather(_ images: [Float], _ indices: [Int], _ item: Int) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(indices.count * item)
        for i in indices { out += images[(i * item)..<((i + 1) * item)] }
        return out
    }
}

extension Dataset {
    /// The first `count` samples and the rest: the benchmark's way of making a validation
    /// "test set" out of training data, so settings are chosen without the real test set.
    public func split(first count: Int) -> (Dataset, Dataset) {
        let n = min(count, self.count), item = imageSize
        let a = Dataset(images: Array(images[0..<(n * item)]), count: n, height: height, width: width, channels: channels,
                        labels: labels.map { Array($0[0..<n]) })
        let b = Dataset(images: Array(images[(n * item)...]), count: self.count - n, height: height, width: width,
                        channels: channels, labels: labels.map { Array($0[n...]) })
        return (a, b)
    }
}
