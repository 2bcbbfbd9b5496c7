/// Why a detector cannot be exported.
public enum ONNXExportError: Error, CustomStringConvertible, Equatable {
    /// Part of the model or of its score has no exact ONNX form here; the text names it.
    case notExpressible(String)

    public var description: String {
        switch self {
        case .notExpressible(let what): "cannot export to ONNX: \(what); no file was written"
        }
    }
}
