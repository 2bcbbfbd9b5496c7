import DataIO
import NeuralNet
import XCTest
@testable import AnomalyDetection

/// The one-class protocol on the committed MNIST subset (250 training and 50 test images a class).
final class OneClassBenchmarkTests: XCTestCase {
    static let small = Architecture(name: "small", inputShape: [784],
                                    layers: [.dense(units: 32, activation: .relu), .dense(units: 784, activation: .sigmoid)],
                                    loss: .binaryCrossentropy, learningRate: 0.01, batchSize: 50, encoderLayer: 0)

    func testOneClassFitsCalibratesAndMeasuresBothMethods() throws {
        let train = try Dataset.loadIDX(images: Fixtures.trainImages, labels: Fixtures.trainLabels)
        let test = try Dataset.loadIDX(images: Fixtures.root + "/mnist/t10k-images-idx3-ubyte.gz",
                                       labels: Fixtures.root + "/mnist/t10k-labels-idx1-ubyte.gz")
        var bench = OneClassBenchmark(architecture: Self.small, training: TrainingOptions(for: Self.small, epochs: 2, seed: 1),
                                      scoring: .smoothedMSE(sigma: 1, inkPower: 1))
        bench.pcaComponents = 8
        let r = try bench.run(normalClass: 1, train: train, test: test)
        XCTAssertEqual(r.trainingCount, 250)
        XCTAssertEqual(r.epochsRun, 2)
        for method in [r.network, r.pca!] {
            XCTAssertEqual(method.normals, 50, "the test images of class 1 are the normal ones")
            XCTAssertEqual(method.calibrationCount, 25, "10% of 250 held out")
            XCTAssertGreaterThan(method.auroc, 0.8, "1s are easy to tell from other digits")
            XCTAssertLessThanOrEqual(method.flaggedNormals, method.normals)
            XCTAssertEqual(method.falsePositiveBound!, 1.0 / 26, accuracy: 1e-12)   // k = ⌈26·0.99⌉ = 26 > 25 → bound 1/26
        }
    }

    func testMeasureCountsAtTheThreshold() throws {
        let calibration = try Calibration.fit(scores: [1, 2, 3] as [Double], method: .quantile(0.5))   // threshold: 2nd smallest = 2
        let r = OneClassBenchmark.measure(scores: [1, 2.5, 3, 0.5, 4], anomalous: [false, false, true, true, true],
                                          calibration: calibration, seconds: 0)
        XCTAssertEqual(r.threshold, 2)
        XCTAssertEqual(r.flaggedNormals, 1)                  // 2.5 > 2
        XCTAssertEqual(r.normals, 2)
        XCTAssertEqual(r.observedFPR, 0.5)
        XCTAssertEqual(r.f1, 2.0 * 2 / (2.0 * 2 + 1 + 1))    // TP 2 (3, 4), FP 1, FN 1 (0.5)
        // (anomaly, normal) pairs ranked right: 3 and 4 beat both normals, 0.5 beats neither → 4 of 6.
        XCTAssertEqual(r.auroc, 4.0 / 6, accuracy: 1e-12)
    }

    func testValidationSplitKeepsImagesAndLabelsTogether() {
        let d = Dataset(images: [0, 1, 2, 3, 4, 5], count: 3, height: 1, width: 2, channels: 1, labels: [7, 8, 9])
        let (a, b) = d.split(first: 2)
        XCTAssertEqual(a.images, [0, 1, 2, 3]); XCTAssertEqual(a.labels, [7, 8])
        XCTAssertEqual(b.images, [4, 5]); XCTAssertEqual(b.labels, [9])
    }
}
