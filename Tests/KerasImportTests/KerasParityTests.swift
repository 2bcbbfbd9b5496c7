import AnomalyDetection
import DataIO
import Foundation
import KerasImport
import NeuralNet
import XCTest

/// The chapter's four models, trained in Keras 3 and saved as .keras (fixtures/keras), import as the
/// presets' layers and compute what Keras's `predict` computed, within 1e-4 relative.
final class KerasParityTests: XCTestCase {
    func testDenseMatchesKeras() throws { try checkParity("dense") }
    func testConvMatchesKeras() throws { try checkParity("conv") }
    func testLSTMMatchesKeras() throws { try checkParity("lstm") }
    func testDenoiseMatchesKeras() throws { try checkParity("denoise") }

    private func checkParity(_ preset: String) throws {
        let keras = try KerasModel(path: Fixtures.keras(preset))
        let expected = try Presets.named(preset)
        let architecture = keras.model.architecture
        XCTAssertEqual(architecture.layers, expected.layers, "\(preset): layers")
        XCTAssertEqual(architecture.inputShape, expected.inputShape)
        XCTAssertEqual(architecture.loss, expected.loss)
        XCTAssertEqual(architecture.learningRate, expected.learningRate, accuracy: 1e-7)
        XCTAssertEqual(architecture.encoderLayer, expected.encoderLayer, "\(preset): encoder (\(keras.encoderReason))")
        XCTAssertEqual(keras.model.parameterCount, try Sequential(architecture: expected, seed: 0).parameterCount)

        let detector = try importedDetector(keras)
        XCTAssertEqual(detector.scoring, .pixelMSE)
        XCTAssertEqual(detector.calibration.summary.n, 2500)
        let reference = try KerasReference(preset: preset)
        let pixels = try reference.pixels()
        var reconstructions = [Float](repeating: 0, count: pixels.count)
        let scores = reconstructions.withUnsafeMutableBufferPointer { detector.errors(pixels, reconstructions: $0.baseAddress!) }
        for (ours, theirs) in zip(scores, reference.pixel_mse) {
            XCTAssertEqual(ours, theirs, accuracy: 1e-4 * theirs, "\(preset): pixel MSE")
        }
        XCTAssertLessThanOrEqual(worstExcess(reconstructions, reference.reconstructions.flatMap { $0 }), 0, "\(preset): reconstructions")
        try checkEncoder(keras, reference, pixels: pixels)
    }

    private func checkEncoder(_ keras: KerasModel, _ reference: KerasReference, pixels: [Float]) throws {
        guard let layer = keras.model.architecture.encoderLayer else {
            XCTAssertNil(reference.encoder_layer)
            return
        }
        XCTAssertEqual(keras.layerNames[layer], reference.encoder_layer)
        let input = Tensor(shape: [reference.indices.count] + keras.model.inputShape, values: pixels)
        let codes = try keras.model.encode(input)
        let ours = Array(UnsafeBufferPointer(start: codes.ptr, count: codes.count))
        XCTAssertLessThanOrEqual(worstExcess(ours, reference.encoder!.flatMap { $0 }), 0, "encoder outputs")
    }

    /// The import's detector, calibrated on the 2,500 fixture training digits; saved and loaded back.
    private func importedDetector(_ keras: KerasModel) throws -> Detector {
        let preprocessing = try Preprocessing(for: keras.model.architecture)
        let normal = try NormalSamples.load(Fixtures.path("fixtures/mnist/train-images-idx3-ubyte.gz"), labels: nil,
                                            normalClass: nil, preprocessing: preprocessing)
        let detector = try KerasDetector().make(keras, normal: normal, preprocessing: preprocessing)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keras-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: file) }
        try detector.save(to: file, overwrite: false)
        return try Detector.load(from: file)
    }
}
