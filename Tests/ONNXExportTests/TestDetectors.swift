import AnomalyDetection
import NeuralNet

/// Detectors with seeded random weights (no training): export reads weights and settings only.
enum TestDetectors {
    static func preset(_ name: String, scoring: ScoringRule = .pixelMSE) throws -> Detector {
        let architecture = try Presets.named(name)
        let model = try Sequential(architecture: architecture, seed: 7)
        let calibration = try Calibration.fit(scores: (1...20).map { Double($0) / 100 }, method: .quantile(0.9))
        return Detector(model: model, preprocessing: try Preprocessing(for: architecture), calibration: calibration,
                        history: TrainingHistory(), scoring: scoring)
    }

    /// The default detector with its default rule: blur, ink and detail, SSIM and the latent term.
    static func defaultDetector() throws -> Detector {
        let architecture = Presets.detector
        let model = try Sequential(architecture: architecture, seed: 7)
        var rng = SeededRandom(seed: 3)
        let codes = (0..<(40 * 16)).map { _ in Float(rng.next() % 1000) / 1000 }
        let latent = try LatentGaussian.fit(codes: codes, count: 40, dimension: 16, layer: architecture.encoderLayer!)
        let mix = ScoreMix(reconstruction: LogMoments([0.01, 0.02, 0.05]), structure: LogMoments([0.1, 0.2, 0.3]),
                           distance: LogMoments([10, 16, 30]))
        let calibration = try Calibration.fit(scores: [0.5, 1, 2, 3], method: .quantile(0.5))
        return Detector(model: model, preprocessing: try Preprocessing(for: architecture), calibration: calibration,
                        history: TrainingHistory(), scoring: .detectorDefault, latent: latent, mix: mix)
    }

    /// The tiled conv detector `fit` builds for images of this geometry, with its zmap rule.
    static func tiled(height: Int, width: Int, channels: Int) throws -> Detector {
        let p = try DefaultDetector.tiledPreprocessing(InputGeometry(height: height, width: width, channels: channels),
                                                       invert: false, resize: false)
        let model = try Sequential(architecture: DefaultDetector.tiledArchitecture(p), seed: 5)
        let terms = channels == 3 ? 3 : 2
        let statistics = (0..<terms).flatMap { [Double($0) - 4, 0.5 + Double($0)] }
        return Detector(model: model, preprocessing: p, calibration: try Calibration.fit(scores: [1.0, 2, 3] as [Double], method: .quantile(0.5)),
                        history: TrainingHistory(), scoring: DefaultDetector.tiledScoring.with(statistics: statistics))
    }
}
