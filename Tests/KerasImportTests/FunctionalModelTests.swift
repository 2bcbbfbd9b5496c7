import Foundation
import KerasImport
import NeuralNet
import XCTest

/// A model written with Keras's Functional API imports when its layers form a chain; one that
/// branches is refused naming the layer where the chain breaks.
final class FunctionalModelTests: XCTestCase {
    private struct Reference: Decodable {
        let inputs: [[Float]]
        let reconstructions: [[Float]]
        let encoder_layer: String
        let encoder: [[Float]]
    }

    func testAChainImportsWithItsNamedBottleneck() throws {
        let keras = try KerasModel(path: Fixtures.keras("functional-chain"))
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/keras/functional-chain.outputs.json")))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        let model = keras.model
        XCTAssertEqual(model.architecture.loss, .binaryCrossentropy)
        XCTAssertEqual(model.architecture.encoderLayer.map { keras.layerNames[$0] }, reference.encoder_layer)
        XCTAssertEqual(keras.encoderReason, "named \"bottleneck\"")

        let input = Tensor(shape: [reference.inputs.count, 16], values: reference.inputs.flatMap { $0 })
        let output = model.predict(input)
        XCTAssertLessThanOrEqual(worstExcess(Array(UnsafeBufferPointer(start: output.ptr, count: output.count)),
                                             reference.reconstructions.flatMap { $0 }), 0)
        let codes = try model.encode(input)
        XCTAssertLessThanOrEqual(worstExcess(Array(UnsafeBufferPointer(start: codes.ptr, count: codes.count)),
                                             reference.encoder.flatMap { $0 }), 0)
    }

    func testABranchingModelIsRefused() {
        XCTAssertThrowsError(try KerasModel(path: Fixtures.keras("bad-branch"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("layer \"dense_4\" (Dense)"), message)
            XCTAssertTrue(message.contains("not a chain"), message)
        }
    }

    func testAnEncoderLayerCanBeNamedOrNone() throws {
        XCTAssertEqual(try KerasModel(path: Fixtures.keras("functional-chain"), encoderLayer: "dense_1").model.architecture.encoderLayer, 2)
        XCTAssertNil(try KerasModel(path: Fixtures.keras("functional-chain"), encoderLayer: "none").model.architecture.encoderLayer)
        XCTAssertThrowsError(try KerasModel(path: Fixtures.keras("functional-chain"), encoderLayer: "nope"))
    }
}
