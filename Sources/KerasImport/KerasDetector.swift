import AnomalyDetection
import Foundation
import NeuralNet

/// An imported network made a detector: its threshold calibrated on normal samples as `fit`
/// calibrates on its held-out slice (`HeldOutCalibration`). A rule with a fitted term (ssim, latent)
/// needs training samples as well: then `fraction` of the normal samples calibrate and the rest
/// fit the term, split as `fit` splits them.
public struct KerasDetector {
    public var scoring: ScoringRule = .pixelMSE
    public var threshold: ThresholdMethod = .quantile(0.99)
    public var calibrationFraction = 0.1
    public var seed: UInt64 = 0
    public var provenance: [String: String] = [:]

    public init() {}

    public func make(_ keras: KerasModel, normal: NormalSamples, preprocessing: Preprocessing) throws -> Detector {
        let model = keras.model
        if scoring.latentWeight > 0, model.architecture.encoderLayer == nil {
            throw DetectorError.input("scoring rule \(scoring) needs a code, and no encoder layer was found in the Keras model (\(keras.encoderReason)); name one with --encoder-layer")
        }
        let all = Array(0..<normal.count)
        let (fitIdx, calIdx) = scoring.isMixed ? try DetectorFit.split(count: normal.count, fraction: calibrationFraction, seed: seed) : ([], all)
        let (latent, mix) = try HeldOutCalibration.fitTerms(model, fitImages: gather(normal, fitIdx, model), scoring: scoring,
                                                           preprocessing: preprocessing)
        let calibration = try HeldOutCalibration.calibrate(model, images: gather(normal, calIdx, model), count: calIdx.count,
                                                           scoring: scoring, latent: latent, mix: mix,
                                                           preprocessing: preprocessing, threshold: threshold)
        var facts = provenance
        facts["calibration_samples"] = String(calIdx.count)
        if !fitIdx.isEmpty { facts["training_samples"] = String(fitIdx.count) }
        facts["keras_model"] = keras.kerasName
        facts["keras_version"] = keras.kerasVersion ?? "unknown"
        facts["encoder"] = keras.encoderReason
        return Detector(model: model, preprocessing: preprocessing, calibration: calibration, history: TrainingHistory(),
                        provenance: facts, scoring: scoring, latent: latent, mix: mix)
    }

    private func gather(_ normal: NormalSamples, _ indices: [Int], _ model: Sequential) -> Tensor {
        let item = Tensor.elementCount(model.inputShape)
        let t = Tensor(shape: [indices.count] + model.inputShape)
        normal.images.withUnsafeBufferPointer { src in
            for (row, i) in indices.enumerated() { (t.ptr + row * item).update(from: src.baseAddress! + i * item, count: item) }
        }
        return t
    }
}
