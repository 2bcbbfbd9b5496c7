import XCTest
@testable import NeuralNet

final class ModelFileTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func trainedDense() throws -> (Sequential, Trainer) {
        let model = try Sequential(architecture: Presets.dense, seed: 3)
        let trainer = Trainer(model: model, options: TrainingOptions(epochs: 1, batchSize: 8, learningRate: 0.001, seed: 3))
        try trainer.fit(randomTensor([16, 784], seed: 4, low: 0, high: 1))
        return (model, trainer)
    }

    func testSaveLoadReconstructsBitIdentically() throws {
        let (model, trainer) = try trainedDense()
        let url = dir.appendingPathComponent("m.safetensors")
        try ModelFile.save(model, history: trainer.history, extra: ["preprocessing": "{\"scale\":255}"],
                           optimizer: trainer.optimizer, to: url)
        let loaded = try ModelFile.load(from: url)
        let x = randomTensor([5, 784], seed: 9, low: 0, high: 1)
        let a = model.predict(x).array
        XCTAssertEqual(loaded.model.predict(x).array, a)
        XCTAssertEqual(loaded.history, trainer.history)
        XCTAssertEqual(loaded.extra["preprocessing"], "{\"scale\":255}")
        XCTAssertEqual(loaded.optimizer?.step, trainer.optimizer.step)
        XCTAssertEqual(loaded.optimizer?.m[0], trainer.optimizer.m[0].array)
    }

    func testRefusesToOverwriteWithoutPermission() throws {
        let (model, trainer) = try trainedDense()
        let url = dir.appendingPathComponent("m.safetensors")
        try ModelFile.save(model, history: trainer.history, to: url)
        XCTAssertThrowsError(try ModelFile.save(model, history: trainer.history, to: url)) { e in
            XCTAssertEqual(e as? ModelFileError, .exists(url.path))
        }
        XCTAssertNoThrow(try ModelFile.save(model, history: trainer.history, to: url, overwrite: true))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testTruncatedAlteredAndForeignFilesAreRefusedDistinctly() throws {
        let (model, trainer) = try trainedDense()
        let url = dir.appendingPathComponent("m.safetensors")
        try ModelFile.save(model, history: trainer.history, to: url)
        let good = try Data(contentsOf: url)

        func attempt(_ bytes: Data) -> ModelFileError? {
            let u = dir.appendingPathComponent("bad-\(UUID().uuidString)")
            try! bytes.write(to: u)
            do { _ = try ModelFile.load(from: u); return nil } catch { return error as? ModelFileError }
        }
        guard case .truncated? = attempt(good.prefix(good.count - 100)) else { return XCTFail("truncated not detected") }
        guard case .truncated? = attempt(good.prefix(5)) else { return XCTFail("5-byte file not detected") }
        var flipped = good
        flipped[good.count - 1234] ^= 0x40
        guard case .altered? = attempt(flipped) else { return XCTFail("flipped byte not detected") }
        guard case .notSafetensors? = attempt(Data("this is not a model file at all".utf8)) else { return XCTFail("text file not detected") }

        // A well-formed safetensors file written by someone else.
        var other = Safetensors()
        let values: [Float] = [1, 2, 3]
        let foreign = values.withUnsafeBufferPointer { buf -> Data in
            other.tensors = [("weight", [3], buf)]
            return other.serialize { _ in [:] }
        }
        guard case .foreign? = attempt(foreign) else { return XCTFail("foreign file not detected") }

        // The messages are distinct and say what happened.
        let messages = [attempt(good.prefix(good.count - 100)), attempt(flipped), attempt(Data("plain text, not a model file at all".utf8)), attempt(foreign)]
            .map { $0!.description }
        XCTAssertTrue(messages[0].contains("truncated"))
        XCTAssertTrue(messages[1].contains("altered"))
        XCTAssertTrue(messages[2].contains("not in safetensors format"))
        XCTAssertTrue(messages[3].contains("not an aedetect model"))
    }

    func testHeaderIsValidSafetensorsLayout() throws {
        let (model, trainer) = try trainedDense()
        let url = dir.appendingPathComponent("m.safetensors")
        try ModelFile.save(model, history: trainer.history, to: url)
        let data = try Data(contentsOf: url)
        let n = data.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        XCTAssertEqual(n % 8, 0, "header padded to 8 bytes")
        let parsed = try Safetensors.parse(data, path: url.path)
        XCTAssertEqual(parsed.entries["layers.0.kernel"]?.shape, [784, 256])
        XCTAssertEqual(parsed.entries["layers.3.bias"]?.shape, [784])
        XCTAssertEqual(parsed.entries.values.map { $0.range.count }.reduce(0, +), 454_004 * 4)
    }
}
