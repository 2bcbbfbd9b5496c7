import AnomalyDetection
import NeuralNet
@testable import ONNXExport
import XCTest

/// What the graph cannot reproduce exactly is refused, naming it, rather than exported.
final class ONNXRefusalTests: XCTestCase {
    func testAZmapRuleWithoutItsFittedStatisticsIsRefused() throws {
        let tiled = try TestDetectors.tiled(height: 40, width: 40, channels: 1)
        let unfitted = Detector(model: tiled.model, preprocessing: tiled.preprocessing, calibration: tiled.calibration,
                                history: TrainingHistory(), scoring: .zmap)
        XCTAssertThrowsError(try ONNXExporter.serialized(unfitted)) { error in
            guard case ONNXExportError.notExpressible(let what) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("zmap") && what.contains("statistics"), what)
        }
    }

    func testALatentTermOnATiledModelIsRefused() throws {
        let tiled = try TestDetectors.tiled(height: 40, width: 40, channels: 1)
        let latent = try LatentGaussian.fit(codes: (0..<(600 * 8)).map { Float($0 % 7) + Float($0 % 13) / 13 }, count: 600, dimension: 8, layer: 2)
        let rule = try ScoringRule(parsing: "pixel_mse+latent:1")
        let detector = Detector(model: tiled.model, preprocessing: tiled.preprocessing, calibration: tiled.calibration,
                                history: TrainingHistory(), scoring: rule, latent: latent,
                                mix: ScoreMix(reconstruction: LogMoments([1, 2]), structure: nil, distance: LogMoments([1, 2])))
        XCTAssertThrowsError(try ONNXExporter.serialized(detector)) { error in
            XCTAssertTrue("\(error)".contains("tiled"), "\(error)")
        }
    }

    func testEveryModelFitMakesIsExported() throws {
        for name in ["dense", "conv", "lstm", "denoise"] { XCTAssertNoThrow(try ONNXExporter.serialized(try TestDetectors.preset(name)), name) }
        XCTAssertNoThrow(try ONNXExporter.serialized(try TestDetectors.defaultDetector()))
        XCTAssertNoThrow(try ONNXExporter.serialized(try TestDetectors.tiled(height: 48, width: 48, channels: 3)))
    }
}
