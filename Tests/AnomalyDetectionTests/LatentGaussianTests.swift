import Foundation
import NeuralNet
import XCTest
@testable import AnomalyDetection

/// The latent term of a scoring rule: a Gaussian over training codes, checked on codes whose
/// mean, covariance and distances are known by hand.
final class LatentGaussianTests: XCTestCase {
    /// Four 2-D codes at (±2, ±1): mean 0, covariance diag(16/3, 4/3) (n − 1 in the denominator).
    let codes: [Float] = [2, 1, 2, -1, -2, 1, -2, -1, 0, 0]

    private func fitted() throws -> LatentGaussian {
        try LatentGaussian.fit(codes: codes, count: 5, dimension: 2, layer: 0)
    }

    func testMeanAndVariancesOfAKnownCloud() throws {
        let g = try fitted()
        XCTAssertEqual(g.mean[0], 0, accuracy: 1e-12)
        XCTAssertEqual(g.mean[1], 0, accuracy: 1e-12)
        // Five codes: variances 16/4 = 4 and 4/4 = 1, plus the ridge (shrinkage × mean variance).
        let ridge = LatentGaussian.shrinkage * 2.5
        XCTAssertEqual(g.variances[0], 4 + ridge, accuracy: 1e-9)
        XCTAssertEqual(g.variances[1], 1 + ridge, accuracy: 1e-9)
        XCTAssertEqual(abs(g.axes[0]), 1, accuracy: 1e-9, "first axis is the x axis")
    }

    func testSquaredDistanceIsMahalanobis() throws {
        let g = try fitted()
        let ridge = LatentGaussian.shrinkage * 2.5
        let point: [Float] = [1, 3]
        let d2 = point.withUnsafeBufferPointer { g.squaredDistance($0.baseAddress!) }
        XCTAssertEqual(d2, 1 / (4 + ridge) + 9 / (1 + ridge), accuracy: 1e-9)
        // A rotated covariance: the distance must not depend on the axes' order or sign.
        let tilted: [Float] = [1, 1, -1, -1, 2, 2, -2, -2, 1, -1, -1, 1]
        let h = try LatentGaussian.fit(codes: tilted, count: 6, dimension: 2, layer: 0)
        // Covariance [[12/5, 8/5], [8/5, 12/5]]: variance 4 along (1,1)/√2 and 4/5 along (1,−1)/√2.
        let r = LatentGaussian.shrinkage * 12 / 5
        let along: [Float] = [1, 1], across: [Float] = [1, -1]
        XCTAssertEqual(along.withUnsafeBufferPointer { h.squaredDistance($0.baseAddress!) }, 2 / (4 + r), accuracy: 1e-9)
        XCTAssertEqual(across.withUnsafeBufferPointer { h.squaredDistance($0.baseAddress!) }, 2 / (0.8 + r), accuracy: 1e-9)
    }

    func testTooFewCodesForTheDimensionIsAnError() {
        XCTAssertThrowsError(try LatentGaussian.fit(codes: [1, 2, 3, 4], count: 2, dimension: 2, layer: 0))
    }

    func testRuleTextWithALatentTerm() throws {
        let rule = try ScoringRule(parsing: "smoothed_mse:1:0.5+latent:0.5")
        XCTAssertEqual(rule, .smoothedMSE(sigma: 1, inkPower: 0.5, latentWeight: 0.5))
        XCTAssertEqual(rule.description, "smoothed_mse:1:0.5+latent:0.5")
        XCTAssertEqual(rule.reconstructionOnly, .smoothedMSE(sigma: 1, inkPower: 0.5))
        XCTAssertEqual(try ScoringRule(parsing: "pixel_mse+latent:2").description, "pixel_mse+latent:2")
        for bad in ["smoothed_mse:1+latent", "smoothed_mse:1+latent:0", "smoothed_mse:1+latent:x", "pixel_mse+latent:1+latent:1",
                    "smoothed_mse:1+knn:1", "smoothed_mse:1+latent:1:2"] {
            XCTAssertThrowsError(try ScoringRule(parsing: bad), bad)
        }
        XCTAssertEqual(try JSONDecoder().decode(ScoringRule.self, from: JSONEncoder().encode(rule)), rule)
    }

    /// A fitted detector with a latent term: its scores equal the formula applied to its own
    /// reconstruction scores and codes, calibration uses them, and the model file keeps the Gaussian.
    func testDetectorWithLatentTermFitsScoresAndRoundTrips() throws {
        let arch = Architecture(name: "tiny", inputShape: [16],
                                layers: [.dense(units: 3, activation: .linear), .dense(units: 16, activation: .linear)],
                                loss: .meanSquaredError, learningRate: 0.01, batchSize: 8, encoderLayer: 0)
        var rng = SeededRandom(seed: 5)
        let count = 60
        let images = (0..<(count * 16)).map { _ in Float.random(in: 0...1, using: &rng) }
        var fit = DetectorFit(architecture: arch, training: TrainingOptions(for: arch, epochs: 2, seed: 1),
                              preprocessing: Preprocessing(height: 4, width: 4, channels: 1))
        fit.scoring = .smoothedMSE(sigma: 1, inkPower: 0.5, latentWeight: 0.5)
        let (detector, _) = try fit.run(images: images, count: count)
        let latent = try XCTUnwrap(detector.latent)
        let mix = try XCTUnwrap(detector.mix)
        XCTAssertNil(mix.structure)
        XCTAssertEqual(latent.dimension, 3)
        XCTAssertEqual(latent.layer, 0)

        let test = Array(images[0..<(5 * 16)])
        let scores = detector.scores(test)
        let recon = detector.reconstruct(test)
        let plain = test.withUnsafeBufferPointer { x in recon.withUnsafeBufferPointer { y in
            fit.scoring.reconstructionOnly.scores(inputs: x.baseAddress!, reconstructions: y.baseAddress!, count: 5,
                                                  height: 4, width: 4, channels: 1)
        } }
        let codes = try detector.model.encode(Tensor(shape: [5, 16], values: test))
        for s in 0..<5 {
            let byHand = mix.score(reconstruction: plain[s], structure: 0, distance: latent.squaredDistance(codes.ptr + s * 3), rule: fit.scoring)
            XCTAssertEqual(scores[s], byHand, accuracy: 1e-9 * byHand)
        }
        XCTAssertEqual(detector.calibration.scores.count, 6, "10% of 60 held out, scored with the latent term")

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try detector.save(to: url, overwrite: false)
        let loaded = try Detector.load(from: url)
        XCTAssertEqual(loaded.latent, latent)
        XCTAssertEqual(loaded.mix, mix)
        XCTAssertEqual(loaded.scoring, fit.scoring)
        XCTAssertEqual(loaded.scores(test), scores)
    }

    func testLatentTermNeedsAnEncoderLayer() throws {
        let arch = Architecture(name: "tiny", inputShape: [16], layers: [.dense(units: 16, activation: .linear)],
                                loss: .meanSquaredError, learningRate: 0.01, batchSize: 8)
        var fit = DetectorFit(architecture: arch, training: TrainingOptions(for: arch, epochs: 1, seed: 1),
                              preprocessing: Preprocessing(height: 4, width: 4, channels: 1))
        fit.scoring = .smoothedMSE(sigma: 1, latentWeight: 1)
        XCTAssertThrowsError(try fit.run(images: [Float](repeating: 0.5, count: 20 * 16), count: 20)) { error in
            XCTAssertTrue("\(error)".contains("encoder layer"), "\(error)")
        }
    }

    /// Six training samples (half of 12 held out) cannot fit a Gaussian over 8-number codes: a rule the user asked for
    /// fails the fit, the architecture's default falls back to its reconstruction part.
    func testTooFewSamplesFailOnlyARequestedLatentTerm() throws {
        let arch = Architecture(name: "tiny", inputShape: [16],
                                layers: [.dense(units: 8, activation: .linear), .dense(units: 16, activation: .linear)],
                                loss: .meanSquaredError, learningRate: 0.01, batchSize: 4, encoderLayer: 0)
        var fit = DetectorFit(architecture: arch, training: TrainingOptions(for: arch, epochs: 1, seed: 1),
                              preprocessing: Preprocessing(height: 4, width: 4, channels: 1))
        fit.scoring = .smoothedMSE(sigma: 1, inkPower: 0.75, latentWeight: 0.3)
        fit.calibrationFraction = 0.5
        let images = (0..<(12 * 16)).map { Float($0 % 7) / 7 }
        XCTAssertThrowsError(try fit.run(images: images, count: 12)) { error in
            XCTAssertTrue("\(error)".contains("too few for a 8-dimensional latent Gaussian"), "\(error)")
        }
        fit.scoringIsDefault = true
        let (detector, _) = try fit.run(images: images, count: 12)
        XCTAssertEqual(detector.scoring, .smoothedMSE(sigma: 1, inkPower: 0.75))
        XCTAssertNil(detector.latent)
        XCTAssertNil(detector.mix)
        // With a structure term the fallback keeps it: only the code distance is dropped.
        fit.scoring = .smoothedMSE(sigma: 1, inkPower: 0.75, structureWeight: 1, latentWeight: 0.3)
        let (withStructure, _) = try fit.run(images: images, count: 12)
        XCTAssertEqual(withStructure.scoring, .smoothedMSE(sigma: 1, inkPower: 0.75, structureWeight: 1))
        XCTAssertNil(withStructure.latent)
        XCTAssertNotNil(withStructure.mix?.structure)
    }
}
