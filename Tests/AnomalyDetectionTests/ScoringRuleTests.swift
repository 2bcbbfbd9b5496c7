import Foundation
import NeuralNet
import XCTest
@testable import AnomalyDetection

/// The scoring rules on inputs small enough to compute by hand.
final class ScoringRuleTests: XCTestCase {
    /// Centre tap of the σ = 1 Gaussian (radius 3): 1 / (1 + 2(e^−½ + e^−2 + e^−9/2)).
    let g0 = 1 / (1 + 2 * (exp(-0.5) + exp(-2) + exp(-4.5)))
    let g1 = exp(-0.5) / (1 + 2 * (exp(-0.5) + exp(-2) + exp(-4.5)))

    private func score(_ rule: ScoringRule, _ x: [Float], _ y: [Float], h: Int, w: Int) -> [Double] {
        x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in
            rule.scores(inputs: a.baseAddress!, reconstructions: b.baseAddress!, count: 1, height: h, width: w, channels: 1)
        } }
    }

    func testPixelMSEIsTheMeanSquaredDifference() {
        XCTAssertEqual(score(.pixelMSE, [1, 0, 0.5, 0], [0, 0, 0, 0.5], h: 2, w: 2)[0], (1 + 0.25 + 0.25) / 4, accuracy: 1e-7)
    }

    func testSmoothedMSEOfOnePixelIsTheCentreTapSquared() {
        // 1×1 image, residual 2: zero padding leaves only the centre tap in both passes.
        XCTAssertEqual(score(.smoothedMSE(sigma: 1), [2], [0], h: 1, w: 1)[0], pow(g0 * g0 * 2, 2), accuracy: 1e-6)
    }

    func testOppositeResidualsCancelUnderTheBlurAndEqualOnesDoNot() {
        // 1×2 image. Along the width: (g0 ∓ g1) at each pixel; along the height (1 row): × g0.
        let opposite = score(.smoothedMSE(sigma: 1), [1, 0], [0, 1], h: 1, w: 2)[0]
        let same = score(.smoothedMSE(sigma: 1), [1, 1], [0, 0], h: 1, w: 2)[0]
        XCTAssertEqual(opposite, pow(g0 * (g0 - g1), 2), accuracy: 1e-6)
        XCTAssertEqual(same, pow(g0 * (g0 + g1), 2), accuracy: 1e-6)
        // Pixel MSE cannot tell them apart (both 1).
        XCTAssertEqual(score(.pixelMSE, [1, 0], [0, 1], h: 1, w: 2)[0], score(.pixelMSE, [1, 1], [0, 0], h: 1, w: 2)[0])
    }

    func testInkNormalisationDividesByTheMeanSquareValueToThePowerP() {
        // x = 0.5, x̂ = 0: smoothed error (g0²·0.5)², ink 0.25.
        let plain = pow(g0 * g0 * 0.5, 2)
        XCTAssertEqual(score(.smoothedMSE(sigma: 1, inkPower: 1), [0.5], [0], h: 1, w: 1)[0], plain / 0.25, accuracy: 1e-6)
        XCTAssertEqual(score(.smoothedMSE(sigma: 1, inkPower: 0.5), [0.5], [0], h: 1, w: 1)[0], plain / 0.5, accuracy: 1e-6)
        // An empty input is divided by the floor, not by zero.
        let empty = score(.smoothedMSE(sigma: 1, inkPower: 1), [0], [0.5], h: 1, w: 1)[0]
        XCTAssertEqual(empty, plain / ScoringRule.energyFloor, accuracy: 1e-3)
    }

    func testDetailNormalisationDividesByTheNeighbourDifferencesToThePowerG() {
        // 2×2 image [[1, 0], [0.5, 0.5]]: horizontal differences −1, 0; vertical −0.5, 0.5 → (1 + 0.25 + 0.25) / 4.
        let x: [Float] = [1, 0, 0.5, 0.5]
        let detail = (1 + 0.25 + 0.25) / 4.0
        XCTAssertEqual(x.withUnsafeBufferPointer { ScoringRule.detail($0.baseAddress!, height: 2, width: 2, channels: 1) }, detail, accuracy: 1e-7)
        let zero: [Float] = [0, 0, 0, 0]
        let plain = score(.smoothedMSE(sigma: 1), x, zero, h: 2, w: 2)[0]
        XCTAssertEqual(score(.smoothedMSE(sigma: 1, detailPower: 1), x, zero, h: 2, w: 2)[0], plain / detail, accuracy: 1e-6)
        let ink = (1 + 0.25 + 0.25) / 4.0
        XCTAssertEqual(score(.smoothedMSE(sigma: 1, inkPower: 0.5, detailPower: 2), x, zero, h: 2, w: 2)[0],
                       plain / (ink.squareRoot() * detail * detail), accuracy: 1e-6)
        // Two channels: differences are taken within a channel, never across.
        let rgb: [Float] = [1, 0, 1, 0]  // 1×2 pixels × 2 channels: channel 0 is flat, channel 1 too.
        XCTAssertEqual(rgb.withUnsafeBufferPointer { ScoringRule.detail($0.baseAddress!, height: 1, width: 2, channels: 2) }, 0)
        // A flat sample is divided by the floor, not by zero.
        let flat: [Float] = [0.5, 0.5, 0.5, 0.5]
        XCTAssertEqual(score(.smoothedMSE(sigma: 1, detailPower: 1), flat, zero, h: 2, w: 2)[0],
                       score(.smoothedMSE(sigma: 1), flat, zero, h: 2, w: 2)[0] / ScoringRule.energyFloor, accuracy: 1e-2)
    }

    /// Enough samples to be split over both cores: each value equals the sample scored alone.
    func testManySamplesScoreAsEachAlone() {
        let rule = ScoringRule.smoothedMSE(sigma: 1, inkPower: 0.25, detailPower: 1, structureWeight: 1, structureSigma: 1)
        var rng = SeededRandom(seed: 21)
        let n = 101, item = 36
        let x = (0..<(n * item)).map { _ in Float.random(in: 0...1, using: &rng) }
        let y = x.map { $0 * 0.8 + 0.1 }
        x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in
            let (pa, pb) = (a.baseAddress!, b.baseAddress!)
            let all = rule.scores(inputs: pa, reconstructions: pb, count: n, height: 6, width: 6, channels: 1)
            let structure = rule.structureScores(inputs: pa, reconstructions: pb, count: n, height: 6, width: 6, channels: 1)
            for s in [0, 50, 51, 100] {
                XCTAssertEqual(all[s], rule.scores(inputs: pa + s * item, reconstructions: pb + s * item, count: 1, height: 6, width: 6, channels: 1)[0])
                XCTAssertEqual(structure[s], rule.structureScores(inputs: pa + s * item, reconstructions: pb + s * item, count: 1, height: 6, width: 6, channels: 1)[0])
            }
        } }
    }

    func testTextFormsOfTheExtraTerms() throws {
        let full = try ScoringRule(parsing: "smoothed_mse:1:0.25:1+ssim:0.8:1+latent:0.3")
        XCTAssertEqual(full, .smoothedMSE(sigma: 1, inkPower: 0.25, detailPower: 1, structureWeight: 0.8, structureSigma: 1, latentWeight: 0.3))
        XCTAssertEqual(full.description, "smoothed_mse:1:0.25:1+ssim:0.8:1+latent:0.3")
        XCTAssertEqual(try ScoringRule(parsing: "smoothed_mse:1:0.25:1+latent:0.3+ssim:0.8:1"), full, "terms in any order")
        XCTAssertEqual(try ScoringRule(parsing: "pixel_mse+ssim:1").description, "pixel_mse+ssim:1:1.5", "the window defaults to 1.5")
        XCTAssertEqual(try ScoringRule(parsing: "smoothed_mse:1:0:1").description, "smoothed_mse:1:0:1")
        XCTAssertTrue(full.isMixed)
        XCTAssertEqual(full.withoutLatent, .smoothedMSE(sigma: 1, inkPower: 0.25, detailPower: 1, structureWeight: 0.8, structureSigma: 1))
        XCTAssertEqual(full.reconstructionOnly, .smoothedMSE(sigma: 1, inkPower: 0.25, detailPower: 1))
        XCTAssertFalse(full.reconstructionOnly.isMixed)
        XCTAssertEqual(try JSONDecoder().decode(ScoringRule.self, from: JSONEncoder().encode(full)), full)
        for bad in ["smoothed_mse:1+ssim", "smoothed_mse:1+ssim:0", "smoothed_mse:1+ssim:1:0", "smoothed_mse:1+ssim:1+ssim:1",
                    "smoothed_mse:1:0:3", "smoothed_mse:1:0:1:1", "smoothed_mse:1+ssim:1:1:1"] {
            XCTAssertThrowsError(try ScoringRule(parsing: bad), bad)
        }
    }

    func testTextAndJSONForms() throws {
        XCTAssertEqual(try ScoringRule(parsing: "pixel_mse"), .pixelMSE)
        XCTAssertEqual(try ScoringRule(parsing: "smoothed_mse:1.5"), .smoothedMSE(sigma: 1.5))
        XCTAssertEqual(try ScoringRule(parsing: "smoothed_mse:1:1"), .smoothedMSE(sigma: 1, inkPower: 1))
        XCTAssertEqual(ScoringRule.smoothedMSE(sigma: 1, inkPower: 1).description, "smoothed_mse:1:1")
        for bad in ["ssim", "smoothed_mse", "smoothed_mse:0", "smoothed_mse:1:-1", "pixel_mse:2"] {
            XCTAssertThrowsError(try ScoringRule(parsing: bad), bad)
        }
        let rule = ScoringRule.smoothedMSE(sigma: 2, inkPower: 0.5)
        XCTAssertEqual(try JSONDecoder().decode(ScoringRule.self, from: JSONEncoder().encode(rule)), rule)
        let withoutPower = try JSONDecoder().decode(ScoringRule.self, from: Data(#"{"kind":"smoothed_mse","sigma":1}"#.utf8))
        XCTAssertEqual(withoutPower, .smoothedMSE(sigma: 1))
    }

    func testTheDetectorPresetHasItsRuleAndTheChapterPresetsPixelMSE() {
        XCTAssertEqual(ScoringRule.recommended(forArchitecture: "detector").description, "smoothed_mse:1:0.25:1+ssim:1:1+latent:0.3")
        for name in ["dense", "conv", "lstm", "denoise", "custom"] {
            XCTAssertEqual(ScoringRule.recommended(forArchitecture: name), .pixelMSE, name)
        }
    }

    func testDetectorKeepsItsRuleInTheFileAndOldFilesScoreByPixelMSE() throws {
        let arch = Architecture(name: "tiny", inputShape: [2, 2, 1], layers: [.flatten, .dense(units: 4, activation: .linear)],
                                loss: .meanSquaredError, learningRate: 0.01, batchSize: 2)
        let model = try Sequential(architecture: arch, seed: 3)
        let calibration = try Calibration.fit(scores: [0.1, 0.2, 0.3] as [Double], method: .quantile(0.5))
        let rule = ScoringRule.smoothedMSE(sigma: 1, inkPower: 1)
        let detector = Detector(model: model, preprocessing: Preprocessing(height: 2, width: 2, channels: 1),
                                calibration: calibration, history: TrainingHistory(), scoring: rule)
        let images: [Float] = [0.2, 0.9, 0.4, 0.1, 1, 0, 0, 1]
        let (errors, scores) = images.withUnsafeBufferPointer { detector.assess($0.baseAddress!, count: 2) }
        XCTAssertEqual(errors, detector.errors(images), "error stays the raw reconstruction MSE")
        let recon = detector.reconstruct(images)
        let byHand = images.withUnsafeBufferPointer { x in recon.withUnsafeBufferPointer { y in
            rule.scores(inputs: x.baseAddress!, reconstructions: y.baseAddress!, count: 2, height: 2, width: 2, channels: 1)
        } }
        XCTAssertEqual(scores, byHand)
        XCTAssertNotEqual(scores, errors)

        let dir = FileManager.default.temporaryDirectory
        let url = dir.appendingPathComponent("rule-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try detector.save(to: url, overwrite: false)
        let loaded = try Detector.load(from: url)
        XCTAssertEqual(loaded.scoring, rule)
        XCTAssertEqual(loaded.scores(images), scores)

        // A file written before scoring rules: the same metadata without the key.
        let old = dir.appendingPathComponent("old-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: old) }
        let enc = JSONEncoder()
        try ModelFile.save(model, history: TrainingHistory(), extra: [
            "preprocessing": String(decoding: try enc.encode(detector.preprocessing), as: UTF8.self),
            "calibration": String(decoding: try enc.encode(calibration), as: UTF8.self)], to: old)
        let oldDetector = try Detector.load(from: old)
        XCTAssertEqual(oldDetector.scoring, .pixelMSE)
        XCTAssertEqual(oldDetector.scores(images), errors)
    }
}
