@testable import KerasImport
import NeuralNet
import XCTest

/// The encoder rule on names and shapes (the presets' own encoders are checked in KerasParityTests).
final class EncoderChoiceTests: XCTestCase {
    func testANamedLayerWinsOverTheNarrowest() throws {
        let model = try Sequential(architecture: Presets.dense, seed: 0)
        let names = ["dense", "dense_1", "encoded_2", "dense_3"]
        XCTAssertEqual(EncoderChoice.choose(names: names, layers: model.layers, inputShape: [784]).index, 2)
    }

    func testDecoderIsNotACodeName() {
        XCTAssertFalse(EncoderChoice.isCodeName("decoder_1"))
        XCTAssertTrue(EncoderChoice.isCodeName("my-bottleneck"))
        XCTAssertTrue(EncoderChoice.isCodeName("Latent2"))
    }

    func testNoBottleneckMeansNoEncoder() throws {
        let model = try Sequential(architecture: Presets.denoise, seed: 0)
        let names = model.layers.indices.map { "layer_\($0)" }
        XCTAssertNil(EncoderChoice.choose(names: names, layers: model.layers, inputShape: [28, 28, 1]).index)
    }

    func testWeightGroupsAreSnakeCaseClassNamesNumberedPerClass() {
        XCTAssertEqual(WeightGroupNames.groups(forClasses: ["Conv2D", "MaxPooling2D", "Flatten", "Dense", "Reshape", "Conv2DTranspose", "Conv2D"]),
                       ["conv2d", "max_pooling2d", "flatten", "dense", "reshape", "conv2d_transpose", "conv2d_1"])
        XCTAssertEqual(WeightGroupNames.groups(forClasses: ["Bidirectional", "Bidirectional", "TimeDistributed", "LSTM"]),
                       ["bidirectional", "bidirectional_1", "time_distributed", "lstm"])
    }
}
