import Foundation
import NeuralNet

/// A detector is stored as a model file whose metadata also carries the preprocessing,
/// the calibration (threshold, method, held-out scores) and the fit's provenance.
extension Detector {
    static let keys = (preprocessing: "preprocessing", calibration: "calibration", provenance: "provenance", scoring: "scoring", latent: "latent", mix: "score_mix")

    public func save(to url: URL, overwrite: Bool, optimizer: Adam? = nil) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        var extra = [
            Detector.keys.preprocessing: String(decoding: try enc.encode(preprocessing), as: UTF8.self),
            Detector.keys.calibration: String(decoding: try enc.encode(calibration), as: UTF8.self),
            Detector.keys.provenance: String(decoding: try enc.encode(provenance), as: UTF8.self),
            Detector.keys.scoring: String(decoding: try enc.encode(scoring), as: UTF8.self),
        ]
        if let latent { extra[Detector.keys.latent] = String(decoding: try enc.encode(latent), as: UTF8.self) }
        if let mix { extra[Detector.keys.mix] = String(decoding: try enc.encode(mix), as: UTF8.self) }
        try ModelFile.save(model, history: history, extra: extra, optimizer: optimizer, to: url, overwrite: overwrite)
    }

    public static func load(from url: URL) throws -> Detector {
        let loaded = try ModelFile.load(from: url)
        func decode<T: Decodable>(_ t: T.Type, _ key: String) throws -> T {
            guard let text = loaded.extra[key] else {
                throw DetectorError.modelFile("\(url.path): a model without \(key) — it was not written by `aedetect fit` (train one with fit)")
            }
            do { return try JSONDecoder().decode(t, from: Data(text.utf8)) } catch {
                throw DetectorError.modelFile("\(url.path): unreadable \(key) metadata: \(error)")
            }
        }
        // Files written before scoring rules existed scored by pixel MSE.
        let scoring = loaded.extra[keys.scoring] == nil ? ScoringRule.pixelMSE : try decode(ScoringRule.self, keys.scoring)
        let latent = scoring.latentWeight > 0 ? try decode(LatentGaussian.self, keys.latent) : nil
        // Files written before structure terms kept the moments inside the latent Gaussian.
        let legacy = loaded.extra[keys.mix] == nil && scoring.structureWeight == 0
        let mix = !scoring.isMixed ? nil
            : legacy ? ScoreMix(legacy: try decode(ScoreMix.Legacy.self, keys.latent)) : try decode(ScoreMix.self, keys.mix)
        if let mix, !mix.fits(scoring) {
            throw DetectorError.modelFile("\(url.path): the score_mix metadata does not match the scoring rule \(scoring)")
        }
        if let latent {
            let code = latent.layer < loaded.model.layers.count ? Tensor.elementCount(loaded.model.layers[latent.layer].outputShape) : -1
            guard code == latent.dimension, latent.axes.count == code * code, latent.variances.count == code else {
                throw DetectorError.modelFile("\(url.path): the latent Gaussian does not fit the network's layer \(latent.layer)")
            }
        }
        return Detector(model: loaded.model,
                        preprocessing: try decode(Preprocessing.self, keys.preprocessing),
                        calibration: try decode(Calibration.self, keys.calibration),
                        history: loaded.history,
                        provenance: (try? decode([String: String].self, keys.provenance)) ?? [:],
                        scoring: scoring, latent: latent, mix: mix)
    }
}
