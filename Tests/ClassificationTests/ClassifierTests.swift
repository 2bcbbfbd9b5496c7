import AnomalyDetection
import DataIO
import Foundation
import NeuralNet
import XCTest
@testable import Classification

final class ClassifierTests: XCTestCase {
    static let fixtures: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures/mnist")
    }()

    func testArchitectureIsTheEncoderAndAHead() throws {
        let dense = try ClassifierArchitecture.make(from: Presets.dense, classes: 10)
        XCTAssertEqual(dense.layers, [.dense(units: 256, activation: .relu), .dense(units: 100, activation: .relu),
                                      .dense(units: 10, activation: .linear)])
        XCTAssertEqual(dense.loss, .categoricalCrossentropy)
        let conv = try ClassifierArchitecture.make(from: Presets.conv, classes: 3)
        XCTAssertEqual(conv.layers.suffix(2), [.flatten, .dense(units: 3, activation: .linear)], "the 14×14×1 code is flattened")
        XCTAssertEqual(try Sequential(architecture: conv, seed: 0).outputShape, [3])
        XCTAssertThrowsError(try ClassifierArchitecture.make(from: Presets.denoise, classes: 10), "no encoder layer")
    }

    func testEncoderWeightsAreCopiedExactly() throws {
        for preset in [Presets.dense, Presets.conv, Presets.detector] {
            let autoencoder = try Sequential(architecture: preset, seed: 11)
            let classifier = try Sequential(architecture: try ClassifierArchitecture.make(from: preset, classes: 10), seed: 12)
            let head = classifier.layers.last!.parameters.map { $0.value.array }
            try ClassifierArchitecture.copyEncoder(from: autoencoder, to: classifier)
            let n = preset.encoderLayer! + 1
            for i in 0..<n {
                for (p, q) in zip(autoencoder.layers[i].parameters, classifier.layers[i].parameters) {
                    XCTAssertEqual(p.value.array.map(\.bitPattern), q.value.array.map(\.bitPattern), "\(preset.name) layer \(i) \(p.name)")
                }
            }
            XCTAssertEqual(classifier.layers.last!.parameters.map { $0.value.array }, head, "the head keeps its own fresh weights")
            // The code the classifier computes is the autoencoder's.
            var rng = SeededRandom(seed: 1)
            let x = Tensor(shape: [3] + preset.inputShape)
            for i in 0..<x.count { x[i] = rng.uniform() }
            let a = try autoencoder.encode(x).array
            var h = x
            for l in classifier.layers[..<n] { h = l.forward(h, training: false) }
            XCTAssertEqual(a, h.array, preset.name)
        }
    }

    func testStratifiedSplit() {
        let samples = LabelledSamples(images: (0..<40).map(Float.init), labels: (0..<40).map { $0 % 4 })
        let (train, held) = FineTune.split(samples, fraction: 0.1, seed: 0)
        XCTAssertEqual(held.count, 4, "one of each class")
        XCTAssertEqual(Set(held.labels), [0, 1, 2, 3])
        XCTAssertEqual(train.count, 36)
        XCTAssertEqual(Set(train.images + held.images).count, 40, "every sample in one part")
        XCTAssertEqual(FineTune.split(samples, fraction: 0, seed: 0).1.count, 0)
    }

    func testShift() {
        let img: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        var out = [Float](repeating: -1, count: 9)
        ImageShift.shift(img, into: &out, height: 3, width: 3, channels: 1, dy: 1, dx: -1)
        XCTAssertEqual(out, [0, 0, 0, 2, 3, 0, 5, 6, 0])
        ImageShift.shift(img, into: &out, height: 3, width: 3, channels: 1, dy: 0, dx: 0)
        XCTAssertEqual(out, img)
        ImageShift.shift(img, into: &out, height: 3, width: 3, channels: 1, dy: -3, dx: 0)
        XCTAssertEqual(out, [Float](repeating: 0, count: 9))
    }

    /// A dense autoencoder fitted briefly on the 2,500 fixture digits, then the recipe on 100 of
    /// them (10 per class) with the rest as unlabelled images: far above chance on the 500 test digits.
    func testSmallFineTuneLearns() throws {
        let train = try Dataset.loadIDX(images: Self.fixtures.appendingPathComponent("train-images-idx3-ubyte.gz").path,
                                        labels: Self.fixtures.appendingPathComponent("train-labels-idx1-ubyte.gz").path)
        let test = try Dataset.loadIDX(images: Self.fixtures.appendingPathComponent("t10k-images-idx3-ubyte.gz").path,
                                       labels: Self.fixtures.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path)
        let autoencoder = try Sequential(architecture: Presets.dense, seed: 0)
        try Trainer(model: autoencoder, options: TrainingOptions(for: Presets.dense, epochs: 3, seed: 0))
            .fit(Tensor(shape: [train.count, 784], values: train.images))
        let positions = PretrainBenchmark.subset(labels: train.labels!, range: 0..<train.count, perClass: 10, classes: 10, seed: 0)
        XCTAssertEqual(positions.count, 100)
        let labelled = PretrainBenchmark.gather(train, positions)
        let model = try Sequential(architecture: try ClassifierArchitecture.make(from: Presets.dense, classes: 10), seed: 0)
        try ClassifierArchitecture.copyEncoder(from: autoencoder, to: model)
        var options = FineTune.recipe(scratch: false)
        options.steps = 200
        options.rounds = 1
        options.roundSteps = 200
        options.pseudoPerClass = [100]
        let job = FineTune(model: model, classes: 10, height: 28, width: 28, channels: 1, options: options)
        let (t, v) = FineTune.split(labelled, fraction: 0.1, seed: 0)
        let record = job.run(labelled: t, validation: v, unlabelled: train.images)
        XCTAssertEqual(record.trainingSamples, 90)
        XCTAssertEqual(record.validationAccuracy.count, 2, "stage 1 and one round")
        let accuracy = job.accuracy(PretrainBenchmark.gather(test, Array(0..<test.count)))
        XCTAssertGreaterThan(accuracy, 0.5, "chance is 0.1")
    }

    /// Consistency on the unlabelled images still learns, and a held-out slice smaller than
    /// `keepLastBelow` leaves the last stage's weights.
    func testConsistencyAndKeepingTheLastStage() throws {
        let train = try Dataset.loadIDX(images: Self.fixtures.appendingPathComponent("train-images-idx3-ubyte.gz").path,
                                        labels: Self.fixtures.appendingPathComponent("train-labels-idx1-ubyte.gz").path)
        let labelled = PretrainBenchmark.gather(train, PretrainBenchmark.subset(labels: train.labels!, range: 0..<train.count,
                                                                                perClass: 10, classes: 10, seed: 0))
        let model = try Sequential(architecture: try ClassifierArchitecture.make(from: Presets.dense, classes: 10), seed: 0)
        var options = FineTune.recipe(scratch: true)
        options.steps = 100
        options.rounds = 2
        options.roundSteps = 100
        options.pseudoPerClass = [50]
        options.consistency = 1
        options.keepLastBelow = 1000
        let job = FineTune(model: model, classes: 10, height: 28, width: 28, channels: 1, options: options)
        let (t, v) = FineTune.split(labelled, fraction: 0.1, seed: 0)
        let record = job.run(labelled: t, validation: v, unlabelled: train.images)
        XCTAssertEqual(record.keptStage, 2, "10 held out < 1,000: the last round is kept")
        XCTAssertEqual(job.accuracy(v), record.validationAccuracy[2], accuracy: 1e-9)
        XCTAssertGreaterThan(job.accuracy(labelled), 0.5, "chance is 0.1")
    }

    /// Options saved before a setting existed read it as off.
    func testOptionsFromBeforeASettingExisted() throws {
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(FineTuneOptions())) as! [String: Any]
        json["consistency"] = nil
        json["keep_last_below"] = nil
        json["propagation_neighbours"] = nil
        json["steps"] = 77
        let options = try JSONDecoder().decode(FineTuneOptions.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(options.steps, 77)
        XCTAssertEqual(options.consistency, 0)
        XCTAssertEqual(options.keepLastBelow, 0)
        XCTAssertEqual(options.propagationNeighbours, 0)
    }

    func testClassifierFileRoundTrip() throws {
        let model = try Sequential(architecture: try ClassifierArchitecture.make(from: Presets.dense, classes: 3), seed: 5)
        let info = Classifier.Info(classes: ["a", "b", "c"], encoderSource: "ae.safetensors", options: FineTuneOptions(),
                                   record: FineTuneRecord(), provenance: ["input": "x"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clf-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Classifier(model: model, preprocessing: Preprocessing(height: 28, width: 28, channels: 1), info: info).save(to: url, overwrite: false)
        let loaded = try Classifier.load(from: url)
        XCTAssertEqual(loaded.classes, ["a", "b", "c"])
        XCTAssertEqual(loaded.info, info)
        XCTAssertEqual(loaded.model.parameters.map { $0.value.array }, model.parameters.map { $0.value.array })
        let p = loaded.probabilities([Float](repeating: 0.5, count: 784 * 2), count: 2)
        XCTAssertEqual(p.count, 6)
        XCTAssertEqual(p[0..<3].reduce(0, +), 1, accuracy: 1e-5)
        // An autoencoder's file is not a classifier.
        let ae = FileManager.default.temporaryDirectory.appendingPathComponent("ae-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: ae) }
        try ModelFile.save(try Sequential(architecture: Presets.dense, seed: 0), history: TrainingHistory(), to: ae)
        XCTAssertThrowsError(try Classifier.load(from: ae)) { XCTAssertTrue("\($0)".contains("not a classifier")) }
    }
}

final class DeadCodeUnitsTests: XCTestCase {
    func testCountsUnitsThatNeverFire() throws {
        let autoencoder = try Sequential(architecture: Presets.dense, seed: 0)
        // Kill 60 of the 100 code units: a large negative bias keeps their ReLU at zero.
        let code = autoencoder.layers[1] as! Dense
        for u in 0..<60 { code.bias.value[u] = -1e6 }
        var rng = SeededRandom(seed: 2)
        let images = (0..<(50 * 784)).map { _ in rng.uniform() }
        let (dead, units) = try ClassifierArchitecture.deadCodeUnits(autoencoder, images: images, count: 50)
        XCTAssertEqual(units, 100)
        XCTAssertGreaterThanOrEqual(dead, 60)
        XCTAssertLessThan(dead, 100)
    }
}
