import XCTest
@testable import NeuralNet

/// The default detector preset: layer shapes, parameter count, and that it is the default.
final class DetectorPresetTests: XCTestCase {
    func testShapesAndParameterCount() throws {
        let summary = ModelSummary(try Sequential(architecture: try Presets.named("detector"), seed: 0))
        XCTAssertEqual(summary.rows.map(\.type), Array(repeating: "Dense", count: 6))
        XCTAssertEqual(summary.rows.map(\.outputShape), [[512], [128], [16], [128], [512], [784]])
        // (in + 1)·out per layer: 784·512+512, 512·128+128, 128·16+16, 16·128+128, 128·512+512, 512·784+784.
        XCTAssertEqual(summary.rows.map(\.parameters), [401_920, 65_664, 2_064, 2_176, 66_048, 402_192])
        XCTAssertEqual(summary.total, 940_064)
    }

    func testIsTheDefaultAndEncodesToTheSixteenUnitCode() throws {
        XCTAssertEqual(Presets.defaultName, "detector")
        XCTAssertTrue(Presets.names.contains("detector"))
        let arch = Presets.detector
        XCTAssertEqual(arch.loss, .meanSquaredError)
        XCTAssertEqual(arch.inputShape, [784])
        let model = try Sequential(architecture: arch, seed: 0)
        let code = try model.encode(Tensor(shape: [3, 784]))
        XCTAssertEqual(code.shape, [3, 16])
    }
}
