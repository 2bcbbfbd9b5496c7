import XCTest
@testable import NeuralNet

final class ArchitectureTests: XCTestCase {
    private func write(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arch-\(UUID().uuidString).json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testPresetsRoundTripThroughJSON() throws {
        for name in Presets.names {
            let arch = try Presets.named(name)
            let url = try write(arch.jsonString(pretty: true))
            XCTAssertEqual(try Architecture.load(contentsOf: url), arch, name)
        }
    }

    func testKerasStyleFile() throws {
        let url = try write("""
        {"input_shape": [28, 28, 1], "loss": "mse", "learning_rate": 0.002, "batch_size": 64,
         "layers": [{"type": "Conv2D", "filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
                    {"type": "Flatten"}, {"type": "Dense", "units": 784}]}
        """)
        let arch = try Architecture.load(contentsOf: url)
        XCTAssertEqual(arch.layers[0], .conv2D(filters: 4, kernel: [3, 3], strides: [2, 2], padding: .same, activation: .relu))
        XCTAssertEqual(arch.batchSize, 64)
        XCTAssertEqual(arch.learningRate, 0.002)
    }

    func testUnknownLayerIsReportedWithFile() throws {
        let url = try write(#"{"input_shape": [784], "layers": [{"type": "Dropout", "rate": 0.5}]}"#)
        XCTAssertThrowsError(try Architecture.load(contentsOf: url)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains(url.path), text)
            XCTAssertTrue(text.contains("unknown layer type \"Dropout\""), text)
        }
    }

    func testShapeThatDoesNotFitNamesTheLayer() throws {
        // Dense straight after a 2-D image input: needs a Flatten.
        let url = try write(#"{"input_shape": [28, 28, 1], "layers": [{"type": "Dense", "units": 10}]}"#)
        XCTAssertThrowsError(try Architecture.load(contentsOf: url)) { e in
            XCTAssertTrue("\(e)".contains("layer 0 (Dense)"), "\(e)")
            XCTAssertTrue("\(e)".contains("Flatten"), "\(e)")
        }
        let reshape = try write(#"{"input_shape": [784], "layers": [{"type": "Reshape", "target_shape": [10, 10, 1]}]}"#)
        XCTAssertThrowsError(try Architecture.load(contentsOf: reshape)) { e in
            XCTAssertTrue("\(e)".contains("layer 0 (Reshape)"), "\(e)")
        }
    }

    func testMissingFieldAndBadJSON() throws {
        let missing = try write(#"{"input_shape": [784], "layers": [{"type": "Dense"}]}"#)
        XCTAssertThrowsError(try Architecture.load(contentsOf: missing)) { e in
            XCTAssertTrue("\(e)".contains("missing field \"units\""), "\(e)")
        }
        let broken = try write(#"{"input_shape": [784], "layers": [ "#)
        XCTAssertThrowsError(try Architecture.load(contentsOf: broken)) { e in
            XCTAssertTrue("\(e)".contains("invalid JSON"), "\(e)")
        }
    }
}
