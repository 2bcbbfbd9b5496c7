import XCTest
@testable import NeuralNet

/// Every layer's output shape and parameter count against the chapter's Keras summaries.
final class PresetTests: XCTestCase {
    private func rows(_ preset: String) throws -> [ModelSummary.Row] {
        ModelSummary(try Sequential(architecture: try Presets.named(preset), seed: 0)).rows
    }

    private func assertTable(_ preset: String, _ expected: [(String, [Int], Int)], total: Int,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let summary = ModelSummary(try Sequential(architecture: try Presets.named(preset), seed: 0))
        XCTAssertEqual(summary.rows.map(\.type), expected.map(\.0), file: file, line: line)
        XCTAssertEqual(summary.rows.map(\.outputShape), expected.map(\.1), file: file, line: line)
        XCTAssertEqual(summary.rows.map(\.parameters), expected.map(\.2), file: file, line: line)
        XCTAssertEqual(summary.total, total, file: file, line: line)
        XCTAssertTrue(summary.text.contains("Total params: \(grouped(total))"), file: file, line: line)
    }

    func testDense() throws {
        try assertTable("dense", [("Dense", [256], 200_960), ("Dense", [100], 25_700),
                                  ("Dense", [256], 25_856), ("Dense", [784], 201_488)], total: 454_004)
    }

    func testConv() throws {
        try assertTable("conv", [("Conv2D", [14, 14, 10], 260), ("MaxPooling2D", [10, 10, 10], 0),
                                 ("Flatten", [1000], 0), ("Dense", [196], 196_196),
                                 ("Reshape", [14, 14, 1], 0), ("Conv2DTranspose", [28, 28, 10], 170),
                                 ("Conv2D", [28, 28, 1], 161)], total: 196_787)
    }

    func testLSTM() throws {
        try assertTable("lstm", [("Bidirectional", [28, 8], 2_368), ("Bidirectional", [28, 8], 1_088),
                                 ("TimeDistributed", [28, 28], 252)], total: 3_708)
    }

    func testDenoise() throws {
        try assertTable("denoise", [("Conv2D", [28, 28, 10], 100), ("MaxPooling2D", [28, 28, 10], 0),
                                    ("Conv2DTranspose", [28, 28, 10], 910), ("Conv2D", [28, 28, 1], 91)],
                        total: 1_101)
    }

    func testEncoders() throws {
        XCTAssertEqual(try Sequential(architecture: Presets.dense, seed: 0).layers[Presets.dense.encoderLayer!].outputShape, [100])
        XCTAssertEqual(try Sequential(architecture: Presets.conv, seed: 0).layers[Presets.conv.encoderLayer!].outputShape, [14, 14, 1])
        XCTAssertEqual(try Sequential(architecture: Presets.lstm, seed: 0).layers[Presets.lstm.encoderLayer!].outputShape, [28, 8])
    }

    func testSummaryNamesFollowKeras() throws {
        XCTAssertEqual(try rows("conv").map(\.name),
                       ["conv2d", "max_pooling2d", "flatten", "dense", "reshape", "conv2d_transpose", "conv2d_1"])
    }

    func testSameSeedSameWeights() throws {
        let a = try Sequential(architecture: Presets.dense, seed: 42).parameters.map(\.value.array)
        let b = try Sequential(architecture: Presets.dense, seed: 42).parameters.map(\.value.array)
        let c = try Sequential(architecture: Presets.dense, seed: 43).parameters.map(\.value.array)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testUnknownPreset() {
        XCTAssertThrowsError(try Presets.named("resnet")) { e in
            XCTAssertTrue("\(e)".contains("unknown preset \"resnet\""))
        }
    }
}
