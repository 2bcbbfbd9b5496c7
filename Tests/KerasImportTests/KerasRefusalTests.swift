import Foundation
import KerasImport
import XCTest

/// What is outside the vocabulary is refused naming the layer and what is wrong; a damaged archive
/// is refused naming the file and what is missing or broken.
final class KerasRefusalTests: XCTestCase {
    private func refusal(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try KerasModel(path: path)
            XCTFail("\(path) was imported", file: file, line: line)
            return ""
        } catch let e as KerasImportError {
            return e.description
        } catch {
            XCTFail("not a KerasImportError: \(error)", file: file, line: line)
            return ""
        }
    }

    private func assertRefused(_ path: String, mentioning parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        let message = refusal(path, file: file, line: line)
        for part in parts + [path] {
            XCTAssertTrue(message.contains(part), "\"\(message)\" does not mention \(part)", file: file, line: line)
        }
    }

    func testALayerOutsideTheVocabularyIsNamed() {
        // Written by Keras (scripts/make_keras_fixtures.py): Dense, Dropout, Dense.
        assertRefused(Fixtures.keras("bad-dropout"), mentioning: ["layer \"dropout\" (Dropout)", "outside the supported vocabulary"])
    }

    func testUnsupportedOptionsAreNamed() throws {
        let conv = Fixtures.keras("conv"), dense = Fixtures.keras("dense"), lstm = Fixtures.keras("lstm")
        let cases: [(String, String, (inout [[String: Any]]) -> Void, [String])] = [
            (dense, "elu", { $0[2].setConfig("activation", "elu") }, ["\"dense_1\" (Dense)", "activation \"elu\""]),
            (dense, "no-bias", { $0[1].setConfig("use_bias", false) }, ["\"dense\" (Dense)", "use_bias"]),
            (conv, "channels-first", { $0[1].setConfig("data_format", "channels_first") }, ["\"conv2d\" (Conv2D)", "channels_last"]),
            (conv, "dilation", { $0[1].setConfig("dilation_rate", [2, 2]) }, ["\"conv2d\" (Conv2D)", "dilation_rate"]),
            (conv, "groups", { $0[7].setConfig("groups", 2) }, ["\"conv2d_1\" (Conv2D)", "groups"]),
            (conv, "output-padding", { $0[6].setConfig("output_padding", [1, 1]) }, ["(Conv2DTranspose)", "output_padding"]),
            (lstm, "merge-mul", { $0[1].setConfig("merge_mode", "mul") }, ["\"bidirectional\" (Bidirectional)", "merge_mode \"mul\""]),
            (lstm, "relu-lstm", { layers in
                var bidirectional = layers[1]["config"] as! [String: Any]
                var inner = bidirectional["layer"] as! [String: Any]
                inner.setConfig("activation", "relu")
                bidirectional["layer"] = inner
                layers[1]["config"] = bidirectional
            }, ["\"bidirectional\" (Bidirectional)", "its LSTM \"forward_lstm\": activation must be tanh"]),
            (dense, "float16", { $0[1].setConfig("dtype", "mixed_float16") }, ["\"dense\" (Dense)", "mixed_float16"]),
        ]
        for (source, name, edit, parts) in cases {
            let path = try ArchiveEditing.copy(of: source, named: name, editingLayers: edit)
            defer { try? FileManager.default.removeItem(atPath: path) }
            assertRefused(path, mentioning: parts)
        }
    }

    func testNotAZipIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keras-\(UUID().uuidString).keras").path
        try Data("not a zip".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertRefused(path, mentioning: ["not a zip archive"])
    }

    func testATruncatedArchiveIsRefused() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Fixtures.keras("lstm")))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keras-\(UUID().uuidString).keras").path
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertRefused(path, mentioning: ["truncated"])
    }

    func testMissingMembersAreNamed() throws {
        for member in ["model.weights.h5", "config.json"] {
            let path = try ArchiveEditing.copy(of: Fixtures.keras("lstm"), named: "no-\(member)") { $0.removeAll { $0.name == member } }
            defer { try? FileManager.default.removeItem(atPath: path) }
            assertRefused(path, mentioning: ["has no \(member)"])
        }
    }

    func testTruncatedWeightsAreRefused() throws {
        let path = try ArchiveEditing.copy(of: Fixtures.keras("lstm"), named: "short-h5") { list in
            let i = list.firstIndex { $0.name == "model.weights.h5" }!
            list[i].data = list[i].data.prefix(list[i].data.count / 2)
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertRefused(path, mentioning: ["model.weights.h5", "truncated or damaged"])
    }

    func testAShapeMismatchIsNamed() throws {
        let path = try ArchiveEditing.copy(of: Fixtures.keras("dense"), named: "units", editingLayers: { $0[1].setConfig("units", 255) })
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertRefused(path, mentioning: ["shape mismatch", "layers/dense/vars/0 is (784, 256)", "(784, 255)"])
    }

    /// Cut anywhere, the archive or the HDF5 file in it is refused, never half imported or a crash.
    func testCutsAtManyLengthsAreRefused() throws {
        let source = Fixtures.keras("lstm")
        let whole = try Data(contentsOf: URL(fileURLWithPath: source))
        let h5 = try ArchiveEditing.members(of: source).first { $0.name == "model.weights.h5" }!.data
        for step in 1..<12 {
            let archive = FileManager.default.temporaryDirectory.appendingPathComponent("keras-\(UUID().uuidString)-cut.keras").path
            try whole.prefix(whole.count * step / 12).write(to: URL(fileURLWithPath: archive))
            let weights = try ArchiveEditing.copy(of: source, named: "cut-h5") { list in
                let i = list.firstIndex { $0.name == "model.weights.h5" }!
                list[i].data = h5.prefix(h5.count * step / 12)
            }
            defer { for p in [archive, weights] { try? FileManager.default.removeItem(atPath: p) } }
            for path in [archive, weights] {
                XCTAssertThrowsError(try KerasModel(path: path), "cut at \(step)/12") { XCTAssertTrue($0 is KerasImportError, "\($0)") }
            }
        }
    }
}
