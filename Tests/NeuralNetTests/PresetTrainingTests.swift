import DataIO
import Foundation
import XCTest
@testable import NeuralNet

/// Each preset learns real digits: the training loss falls epoch by epoch.
final class PresetTrainingTests: XCTestCase {
    private static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    private func images(_ path: String, limit: Int, architecture: Architecture) throws -> Tensor {
        let data = try Dataset.loadIDX(images: path)
        let n = min(limit, data.count)
        return Tensor(shape: [n] + architecture.inputShape, values: Array(data.images[0..<(n * data.imageSize)]))
    }

    private func assertFalls(_ preset: String, images path: String, limit: Int, epochs: Int, batchSize: Int? = nil) throws {
        let arch = try Presets.named(preset)
        let x = try images(path, limit: limit, architecture: arch)
        var options = TrainingOptions(for: arch, epochs: epochs, seed: 1)
        if let batchSize { options.batchSize = batchSize }
        let history = try Trainer(model: try Sequential(architecture: arch, seed: 1), options: options).fit(x)
        for e in 1..<history.loss.count {
            XCTAssertLessThan(history.loss[e], history.loss[e - 1], "\(preset): epoch \(e + 1) loss \(history.loss)")
        }
        print("\(preset) on \(x.batch) images: loss per epoch \(history.loss.map { String(format: "%.4f", $0) })")
    }

    /// On the committed fixtures: seconds, always runs.
    func testEachPresetLearnsOnFixtures() throws {
        let path = Self.root.appendingPathComponent("fixtures/mnist/train-images-idx3-ubyte.gz").path
        // The fixture file is ordered by digit: take every class by using all 2,500, few epochs, small batches.
        for preset in Presets.names {
            try assertFalls(preset, images: path, limit: 2500, epochs: 3, batchSize: 100)
        }
    }

    /// The issue's setting: the first 3,000 real MNIST training images at each preset's batch size.
    func testEachPresetLearnsOn3000RealMNIST() throws {
        let path = Self.root.appendingPathComponent("../shared/data/mnist/train-images-idx3-ubyte.gz").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("../shared/data/mnist is absent (it exists for developers and CI only)")
        }
        for preset in Presets.names {
            try assertFalls(preset, images: path, limit: 3000, epochs: 5)
        }
    }
}
