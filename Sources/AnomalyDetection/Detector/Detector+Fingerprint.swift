import Foundation
import NeuralNet

extension Detector {
    /// Identifies what decides a run's numbers: the weights, the architecture, the preprocessing and
    /// the calibration (threshold, method, held-out scores). Two runs with equal fingerprints score
    /// every input identically, so their shards can be merged; a model file that was copied or
    /// renamed keeps its fingerprint.
    public var fingerprint: String {
        var h = FNV1a()
        for (name, p) in model.namedParameters {
            h.add(name)
            h.add(UnsafePointer(p.value.ptr), count: p.value.count)
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        h.add(model.architecture.jsonString())
        h.add(String(decoding: (try? enc.encode(preprocessing)) ?? Data(), as: UTF8.self))
        h.add(String(decoding: (try? enc.encode(calibration)) ?? Data(), as: UTF8.self))
        return h.hex
    }
}
