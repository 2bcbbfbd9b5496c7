import AnomalyDetection
import Classification
import Foundation
import ONNX

/// What a service running the exported graph needs besides it, as ONNX `metadata_props`
/// (keys prefixed `aedetect.`): the threshold and the calibration it came from (held-out
/// scores, for conformal p-values), how images become the `input`, and the scoring rule.
enum ExportMetadata {
    /// A classifier's: the class names in the order of the probabilities' columns, the preprocessing.
    static func entries(_ c: Classifier) throws -> [Onnx_StringStringEntryProto] {
        return pairs([
            ("aedetect.format_version", "1"),
            ("aedetect.kind", "classifier"),
            ("aedetect.classes", try text(c.classes)),
            ("aedetect.preprocessing", try text(c.preprocessing)),
            ("aedetect.input", inputDescription(c.preprocessing, shape: c.model.inputShape)),
            ("aedetect.architecture", c.model.architecture.jsonString()),
        ])
    }

    /// A value as JSON with sorted keys.
    static func text<T: Encodable>(_ value: T) throws -> String {
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys]
        return String(decoding: try json.encode(value), as: UTF8.self)
    }

    static func pairs(_ pairs: [(String, String)]) -> [Onnx_StringStringEntryProto] {
        pairs.map { key, value in
            var e = Onnx_StringStringEntryProto()
            e.key = key
            e.value = value
            return e
        }
    }

    static func entries(_ d: Detector) throws -> [Onnx_StringStringEntryProto] {
        let p = d.preprocessing
        let pairs: [(String, String)] = [
            ("aedetect.format_version", "1"),
            ("aedetect.threshold", String(format: "%.17g", d.calibration.threshold)),
            ("aedetect.outlier_rule", "an input is an outlier when score > threshold"),
            ("aedetect.threshold_method", "\(d.calibration.method)"),
            ("aedetect.calibration", try text(d.calibration)),
            ("aedetect.p_value", "(1 + number of calibration.scores >= score) / (number of calibration.scores + 1)"),
            ("aedetect.preprocessing", try text(p)),
            ("aedetect.input", inputDescription(p, shape: d.model.inputShape)),
            ("aedetect.scoring", "\(d.scoring)"),
            ("aedetect.architecture", d.model.architecture.jsonString()),
        ]
        return Self.pairs(pairs)
    }

    static func inputDescription(_ p: Preprocessing, shape: [Int]) -> String {
        let colour = p.channels == 1 ? "grayscale (colour images as luma 0.299 R + 0.587 G + 0.114 B, alpha composited over black)"
            : "\(p.channels) channels"
        return "float32 [N, \(shape.map(String.init).joined(separator: ", "))]: \(p.height)×\(p.width) \(colour) images, "
            + "8-bit values divided by 255" + (p.invert ? ", then inverted (1 − v)" : "")
            + ", row-major with channels last; images of another size are " + (p.resize ? "resampled (area when shrinking, bilinear when enlarging)" : "refused")
    }
}
