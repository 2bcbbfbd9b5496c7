import XCTest
@testable import NeuralNet

final class TrainingCheckpointTests: XCTestCase {
    private let arch = Architecture(name: "small", inputShape: [16],
                                    layers: [.dense(units: 4, activation: .relu), .dense(units: 16, activation: .sigmoid)],
                                    loss: .binaryCrossentropy, learningRate: 0.05, batchSize: 7, encoderLayer: 0)

    private func data(_ n: Int, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return Tensor(shape: [n, 16], values: (0..<(n * 16)).map { _ in rng.uniform() })
    }

    private func options(epochs: Int) -> TrainingOptions {
        var o = TrainingOptions(for: arch, epochs: epochs, seed: 3)
        o.noise = 0.2          // the generator drives noise as well as shuffles
        o.patience = 50        // early-stopping state (best weights) must survive a resume too
        return o
    }

    private func weights(_ m: Sequential) -> [Float] { m.parameters.flatMap(\.value.array) }

    /// Fit 6 epochs straight, and again with a checkpoint after epoch `stop` that a fresh trainer
    /// resumes from: the weights, the history's losses and the best epoch must be identical.
    func testResumedFitEqualsAnUninterruptedOne() throws {
        let x = data(40, seed: 1), val = data(10, seed: 2)
        let straight = try Sequential(architecture: arch, seed: 3)
        let whole = try Trainer(model: straight, options: options(epochs: 6)).fit(x, validation: val)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        for stop in [1, 4] {
            let first = Trainer(model: try Sequential(architecture: arch, seed: 3), options: options(epochs: stop))
            first.epochCompleted = { try TrainingCheckpoint.save($0, job: "test-job", to: url) }
            try first.fit(x, validation: val)

            let loaded = try TrainingCheckpoint.load(from: url)
            XCTAssertEqual(loaded.epochsDone, stop)
            XCTAssertEqual(loaded.job, "test-job")
            let resumedModel = try Sequential(architecture: arch, seed: 99)   // other initial weights: all must come from the file
            let resumed = Trainer(model: resumedModel, options: options(epochs: 6))
            try loaded.restore(into: resumed)
            let history = try resumed.fit(x, validation: val)
            XCTAssertEqual(weights(resumedModel), weights(straight), "resumed after epoch \(stop)")
            XCTAssertEqual(history.loss, whole.loss)
            XCTAssertEqual(history.validationLoss, whole.validationLoss)
            XCTAssertEqual(history.keptEpoch, whole.keptEpoch)
        }
    }

    func testACorruptedCheckpointIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let trainer = Trainer(model: try Sequential(architecture: arch, seed: 3), options: options(epochs: 1))
        try trainer.fit(data(20, seed: 1))
        try TrainingCheckpoint.save(trainer, job: "", to: url)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 3] ^= 0x40
        try bytes.write(to: url)
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: url)) { XCTAssertTrue("\($0)".contains("altered"), "\($0)") }
    }

    func testAnotherArchitectureIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let trainer = Trainer(model: try Sequential(architecture: arch, seed: 3), options: options(epochs: 1))
        try trainer.fit(data(20, seed: 1))
        try TrainingCheckpoint.save(trainer, job: "", to: url)
        var other = arch
        other.layers[0] = .dense(units: 5, activation: .relu)
        let target = Trainer(model: try Sequential(architecture: other, seed: 3), options: options(epochs: 2))
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: url).restore(into: target)) {
            XCTAssertTrue("\($0)".contains("another architecture"), "\($0)")
        }
    }

    func testFNV1aMatchesPublishedValues() {
        // Reference values of 64-bit FNV-1a (from the algorithm's authors' test suite).
        XCTAssertEqual(FNV1a.hash(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a.hash("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(FNV1a.hash("foobar"), 0x8594_4171_f739_67e8)
    }
}
