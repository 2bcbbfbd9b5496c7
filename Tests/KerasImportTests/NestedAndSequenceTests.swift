import Foundation
import KerasImport
import NeuralNet
import XCTest

/// An autoencoder made of an encoder and a decoder model, and shapes Keras settles from the input
/// (a Dense on a sequence, a Reshape with -1), import as Keras computes them.
final class NestedAndSequenceTests: XCTestCase {
    private struct Reference: Decodable {
        let inputs: [[Float]]
        let reconstructions: [[Float]]
        let encoder: [[Float]]?
    }

    private func reference(_ name: String) throws -> Reference {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/keras/\(name).outputs.json")))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    private func values(_ t: Tensor) -> [Float] { Array(UnsafeBufferPointer(start: t.ptr, count: t.count)) }

    func testNestedEncoderAndDecoderModels() throws {
        let keras = try KerasModel(path: Fixtures.keras("nested"))
        let expected = try reference("nested")
        XCTAssertEqual(keras.layerNames, ["encoder/dense_6", "encoder/dense_7", "decoder/dense_8", "decoder/dense_9"])
        XCTAssertEqual(keras.model.architecture.encoderLayer, 1, "the last layer of the model named encoder: \(keras.encoderReason)")
        let input = Tensor(shape: [expected.inputs.count, 16], values: expected.inputs.flatMap { $0 })
        XCTAssertLessThanOrEqual(worstExcess(values(keras.model.predict(input)), expected.reconstructions.flatMap { $0 }), 0)
        XCTAssertLessThanOrEqual(worstExcess(values(try keras.model.encode(input)), expected.encoder!.flatMap { $0 }), 0)
    }

    func testDenseOnASequenceAndInferredReshapes() throws {
        let keras = try KerasModel(path: Fixtures.keras("sequence"))
        let expected = try reference("sequence")
        XCTAssertEqual(keras.model.architecture.layers, [
            .bidirectional(units: 3, returnSequences: true, merge: .concat),
            .timeDistributedDense(units: 4, activation: .tanh),
            .reshape(targetShape: [16]),
            .dense(units: 16, activation: .linear),
            .reshape(targetShape: [4, 4]),
        ])
        let input = Tensor(shape: [expected.inputs.count, 4, 4], values: expected.inputs.flatMap { $0 })
        XCTAssertLessThanOrEqual(worstExcess(values(keras.model.predict(input)), expected.reconstructions.flatMap { $0 }), 0)
    }
}
