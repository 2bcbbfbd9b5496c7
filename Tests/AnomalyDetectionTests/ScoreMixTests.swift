import Foundation
import NeuralNet
import XCTest
@testable import AnomalyDetection

/// Rules with several terms: each standardised in log space on the training part, summed with
/// the rule's weights, exponentiated.
final class ScoreMixTests: XCTestCase {
    func testLogMomentsAndTheCombinedScoreByHand() {
        // log r: 0, ln2 … 4 ln2 → mean 2 ln2, sample std ln2·√(10/4).
        let r = LogMoments([1, 2, 4, 8, 16])
        XCTAssertEqual(r.mean, 2 * log(2.0), accuracy: 1e-12)
        XCTAssertEqual(r.std, log(2.0) * (10.0 / 4).squareRoot(), accuracy: 1e-12)
        let s = LogMoments([0.1, 0.1, 0.4]), d = LogMoments([2, 8])
        let mix = ScoreMix(reconstruction: r, structure: s, distance: d)
        let rule = ScoringRule.smoothedMSE(sigma: 1, structureWeight: 0.8, latentWeight: 0.3)
        let expected = exp((log(32.0) - r.mean) / r.std + 0.8 * (log(0.2) - s.mean) / s.std + 0.3 * (log(5.0) - d.mean) / d.std)
        XCTAssertEqual(mix.score(reconstruction: 32, structure: 0.2, distance: 5, rule: rule), expected, accuracy: 1e-9 * expected)
        // Monotone in each term.
        for (a, b, c) in [(64.0, 0.2, 5.0), (32, 0.3, 5), (32, 0.2, 9)] {
            XCTAssertGreaterThan(mix.score(reconstruction: a, structure: b, distance: c, rule: rule), expected)
        }
        XCTAssertTrue(mix.fits(rule))
        XCTAssertFalse(mix.fits(rule.withoutLatent))
    }

    private func tinyFit(_ rule: ScoringRule) -> (DetectorFit, [Float]) {
        let arch = Architecture(name: "tiny", inputShape: [16],
                                layers: [.dense(units: 3, activation: .linear), .dense(units: 16, activation: .sigmoid)],
                                loss: .meanSquaredError, learningRate: 0.01, batchSize: 8, encoderLayer: 0)
        var rng = SeededRandom(seed: 9)
        let images = (0..<(60 * 16)).map { _ in Float.random(in: 0...1, using: &rng) }
        var fit = DetectorFit(architecture: arch, training: TrainingOptions(for: arch, epochs: 2, seed: 1),
                              preprocessing: Preprocessing(height: 4, width: 4, channels: 1))
        fit.scoring = rule
        return (fit, images)
    }

    /// The moments come from the training part (not the calibration slice), the scores are the
    /// formula on the detector's own terms, and the model file keeps all of it.
    func testDetectorWithStructureAndLatentTerms() throws {
        let rule = ScoringRule.smoothedMSE(sigma: 1, inkPower: 0.25, detailPower: 1, structureWeight: 1, structureSigma: 1, latentWeight: 0.3)
        let (fit, images) = tinyFit(rule)
        let (detector, _) = try fit.run(images: images, count: 60)
        let mix = try XCTUnwrap(detector.mix), latent = try XCTUnwrap(detector.latent)

        let trainIdx = try fit.split(count: 60).train
        let train = trainIdx.flatMap { images[($0 * 16)..<(($0 + 1) * 16)] }
        let recon = detector.reconstruct(train)
        let (ssim, plain) = train.withUnsafeBufferPointer { x in recon.withUnsafeBufferPointer { y in
            (rule.structureScores(inputs: x.baseAddress!, reconstructions: y.baseAddress!, count: trainIdx.count, height: 4, width: 4, channels: 1),
             rule.scores(inputs: x.baseAddress!, reconstructions: y.baseAddress!, count: trainIdx.count, height: 4, width: 4, channels: 1))
        } }
        XCTAssertEqual(mix.structure, LogMoments(ssim))
        XCTAssertEqual(mix.reconstruction, LogMoments(plain))

        let codes = try detector.model.encode(Tensor(shape: [trainIdx.count, 16], values: train))
        let scores = detector.scores(train)
        for s in 0..<trainIdx.count {
            let byHand = mix.score(reconstruction: plain[s], structure: ssim[s], distance: latent.squaredDistance(codes.ptr + s * 3), rule: rule)
            XCTAssertEqual(scores[s], byHand, accuracy: 1e-9 * byHand)
        }

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mix-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try detector.save(to: url, overwrite: false)
        let loaded = try Detector.load(from: url)
        XCTAssertEqual(loaded.scoring, rule)
        XCTAssertEqual(loaded.mix, mix)
        XCTAssertEqual(loaded.scores(train), scores)
    }

    /// A model file of the previous release kept the moments inside its latent Gaussian (and had
    /// no score_mix): it loads, and scores exactly as it did.
    func testAFileWithTheEarlierLatentLayoutScoresAsBefore() throws {
        let rule = ScoringRule.smoothedMSE(sigma: 1, inkPower: 0.5, latentWeight: 0.5)
        let (fit, images) = tinyFit(rule)
        let (detector, _) = try fit.run(images: images, count: 60)
        let latent = try XCTUnwrap(detector.latent), mix = try XCTUnwrap(detector.mix)
        let enc = JSONEncoder()
        let legacyLatent: [String: Any] = [
            "layer": latent.layer, "mean": latent.mean, "variances": latent.variances, "axes": latent.axes, "weight": 0.5,
            "reconstructionLog": ["mean": mix.reconstruction.mean, "std": mix.reconstruction.std],
            "distanceLog": ["mean": mix.distance!.mean, "std": mix.distance!.std]]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelFile.save(detector.model, history: detector.history, extra: [
            "preprocessing": String(decoding: try enc.encode(detector.preprocessing), as: UTF8.self),
            "calibration": String(decoding: try enc.encode(detector.calibration), as: UTF8.self),
            "scoring": #"{"ink_power":0.5,"kind":"smoothed_mse","latent_weight":0.5,"sigma":1}"#,
            "latent": String(decoding: try JSONSerialization.data(withJSONObject: legacyLatent), as: UTF8.self)], to: url)
        let loaded = try Detector.load(from: url)
        XCTAssertEqual(loaded.scoring, rule)
        XCTAssertEqual(loaded.latent, latent)
        XCTAssertEqual(loaded.mix, mix)
        let some = Array(images[0..<(10 * 16)])
        XCTAssertEqual(loaded.scores(some), detector.scores(some))
    }
}
