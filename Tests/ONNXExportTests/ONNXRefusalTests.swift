import AnomalyDetection
import NeuralNet
@testable import ONNXExport
import XCTest

/// What the graph cannot reproduce exactly is refused, naming it, rather than exported.
final class ONNXRefusalTests: XCTestCase {
    func testTheTiledDetectorIsRefusedNamingItsTiles() throws {
        let p = Preprocessing(height: 64, width: 64, channels: 3, tile: 32, tileStride: 16)
        let model = try Sequential(architecture: DefaultDetector.tiledArchitecture(p), seed: 1)
        let detector = Detector(model: model, preprocessing: p,
                                calibration: try Calibration.fit(scores: [1.0, 2, 3] as [Double], method: .quantile(0.5)),
                                history: TrainingHistory(), scoring: .zmap.with(statistics: [0, 1, 0, 1, 0, 1]))
        XCTAssertThrowsError(try ONNXExporter.serialized(detector)) { error in
            guard case ONNXExportError.notExpressible(let what) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("tiles"), what)
        }
    }

    func testTheZmapScoreIsRefusedOnAWholeImageModelToo() throws {
        let plain = try TestDetectors.preset("conv")
        let detector = Detector(model: plain.model, preprocessing: plain.preprocessing, calibration: plain.calibration,
                                history: TrainingHistory(), scoring: .zmap.with(statistics: [0, 1, 0, 1, 0, 1]))
        XCTAssertThrowsError(try ONNXExporter.serialized(detector)) { error in
            XCTAssertTrue("\(error)".contains("zmap"), "\(error)")
        }
    }

    func testPresetsAndTheDefaultDetectorAreNotRefused() throws {
        for name in ["dense", "conv", "lstm", "denoise"] { XCTAssertNoThrow(try ONNXExporter.serialized(try TestDetectors.preset(name)), name) }
        XCTAssertNoThrow(try ONNXExporter.serialized(try TestDetectors.defaultDetector()))
    }
}
