import AnomalyDetection
import NeuralNet
import ONNX
@testable import ONNXExport
import XCTest

/// The exported bytes parse back as an ONNX model with the promised interface.
final class ONNXGraphTests: XCTestCase {
    private func roundTrip(_ detector: Detector) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: try ONNXExporter.serialized(detector))
    }

    private func ops(_ m: Onnx_ModelProto) -> Set<String> { Set(m.graph.node.map(\.opType)) }

    private func dims(_ v: Onnx_ValueInfoProto) -> [String] {
        v.type.tensorType.shape.dim.map { $0.dimParam.isEmpty ? String($0.dimValue) : $0.dimParam }
    }

    func testEveryPresetHasInputReconstructionAndScoreWithAFreeBatch() throws {
        let expected: [String: (input: [String], ops: Set<String>)] = [
            "dense": (["N", "784"], ["Gemm", "Relu"]),
            "conv": (["N", "28", "28", "1"], ["Conv", "ConvTranspose", "MaxPool", "Transpose", "Gemm"]),
            "lstm": (["N", "28", "28"], ["LSTM", "MatMul"]),
            "denoise": (["N", "28", "28", "1"], ["Conv", "ConvTranspose", "MaxPool", "Sigmoid"]),
        ]
        for (name, want) in expected {
            let m = try roundTrip(try TestDetectors.preset(name))
            XCTAssertEqual(m.opsetImport.map(\.version), [ONNXExporter.opset], name)
            XCTAssertEqual(m.graph.input.map(\.name), ["input"], name)
            XCTAssertEqual(dims(m.graph.input[0]), want.input, name)
            XCTAssertEqual(m.graph.input[0].type.tensorType.elemType, Int32(Onnx_TensorProto.DataType.float.rawValue))
            XCTAssertEqual(m.graph.output.map(\.name), ["reconstruction", "score"], name)
            XCTAssertEqual(dims(m.graph.output[1]), ["N"], name)
            XCTAssertEqual(m.graph.output[1].type.tensorType.elemType, Int32(Onnx_TensorProto.DataType.double.rawValue))
            XCTAssertTrue(want.ops.isSubset(of: ops(m)), "\(name): \(ops(m))")
            XCTAssertTrue(m.graph.node.allSatisfy { $0.domain.isEmpty }, "\(name): only the default ONNX domain")
        }
    }

    func testEveryNodeInputIsDefinedBeforeUse() throws {
        let m = try roundTrip(try TestDetectors.defaultDetector())
        var defined = Set(m.graph.initializer.map(\.name) + m.graph.input.map(\.name))
        for node in m.graph.node {
            for input in node.input where !input.isEmpty { XCTAssertTrue(defined.contains(input), "\(node.opType) reads undefined \(input)") }
            defined.formUnion(node.output)
        }
        XCTAssertTrue(defined.isSuperset(of: ["reconstruction", "score"]))
    }

    func testTheDefaultDetectorCarriesEveryScoreTermAndItsCalibration() throws {
        let detector = try TestDetectors.defaultDetector()
        let m = try roundTrip(detector)
        // Blur (Pad, shifted slices), ink and detail (Pow), SSIM (Split), latent (MatMul), mix (Log, Exp).
        XCTAssertTrue(["Pad", "Slice", "Pow", "Split", "MatMul", "Log", "Exp", "Cast"].allSatisfy(ops(m).contains), "\(ops(m))")
        let meta = Dictionary(uniqueKeysWithValues: m.metadataProps.map { ($0.key, $0.value) })
        XCTAssertEqual(Double(meta["aedetect.threshold"] ?? ""), detector.calibration.threshold)
        XCTAssertEqual(meta["aedetect.scoring"], "smoothed_mse:1:0.25:1+ssim:1:1+latent:0.3")
        let preprocessing = try JSONDecoder().decode(Preprocessing.self, from: Data((meta["aedetect.preprocessing"] ?? "").utf8))
        XCTAssertEqual(preprocessing, detector.preprocessing)
        let calibration = try JSONDecoder().decode(Calibration.self, from: Data((meta["aedetect.calibration"] ?? "").utf8))
        XCTAssertEqual(calibration.scores, detector.calibration.scores)
    }

    func testWeightsAreCarriedInONNXLayout() throws {
        let detector = try TestDetectors.preset("dense")
        let m = try roundTrip(detector)
        let dense = detector.model.layers[0] as! Dense
        let kernel = try XCTUnwrap(m.graph.initializer.first { $0.dims == [784, 256] })
        let values = kernel.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(values, Array(dense.kernel.value.buffer))
    }

    func testTheTiledDetectorTakesWholeImagesAndCutsThemIntoItsTiles() throws {
        let detector = try TestDetectors.tiled(height: 48, width: 48, channels: 3)
        let m = try roundTrip(detector)
        XCTAssertEqual(dims(m.graph.input[0]), ["N", "48", "48", "3"])
        XCTAssertEqual(dims(m.graph.output[0]), ["N", "48", "48", "3"])
        let grid = try XCTUnwrap(detector.preprocessing.grid)
        XCTAssertEqual(m.graph.node.filter { $0.opType == "Unsqueeze" }.count, grid.count, "one cut per tile")
        XCTAssertTrue(["TopK", "Conv", "ConvTranspose", "Log", "Neg", "Max"].allSatisfy(ops(m).contains), "\(ops(m))")
    }

    func testTentWeightTotalsCountEveryTileOverAPixel() {
        let grid = TileGrid(height: 40, width: 40, channels: 1, tile: 32, stride: 16)
        let totals = TileGraph.weightTotals(grid)
        XCTAssertEqual(totals[0], 1, "the corner is in one tile, at its corner")
        // Pixel (20, 20) is in all four tiles (tops and lefts 0 and 8), at tile rows 20 and 12.
        let w20 = Float(min(21, 32 - 20)), w12 = Float(min(13, 32 - 12))
        XCTAssertEqual(totals[20 * 40 + 20], (w20 + w12) * (w20 + w12))
    }
}
