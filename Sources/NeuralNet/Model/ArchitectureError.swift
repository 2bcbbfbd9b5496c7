/// What is wrong with an architecture, said so that a user can fix the file.
public enum ArchitectureError: Error, CustomStringConvertible, Equatable {
    case unknownLayer(String)
    case shape(layer: Int, type: String, message: String)
    case badInput([Int])
    case empty
    case encoder(Int, Int)
    case unknownPreset(String)
    case unreadable(String, String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case .unknownLayer(let t):
            return "unknown layer type \"\(t)\" (known: Dense, Conv2D, Conv2DTranspose, MaxPooling2D, Flatten, Reshape, LSTM, Bidirectional, TimeDistributed)"
        case let .shape(i, t, m): return "layer \(i) (\(t)): \(m)"
        case .badInput(let s): return "input_shape \(s) must be a non-empty list of positive sizes"
        case .empty: return "the architecture has no layers"
        case let .encoder(e, n): return "encoder_layer \(e) is not a layer index (0..<\(n))"
        case .unknownPreset(let p): return "unknown preset \"\(p)\" (known: \(Presets.names.joined(separator: ", ")))"
        case let .unreadable(path, why): return "\(path): cannot read: \(why)"
        case let .invalid(path, why): return "\(path): \(why)"
        }
    }

    /// A readable form of a JSON decoding error (the default text names Swift types).
    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ ctx: DecodingError.Context) -> String {
            let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : " at \(p)"
        }
        switch e {
        case let .keyNotFound(k, ctx): return "missing field \"\(k.stringValue)\"\(path(ctx))"
        case let .typeMismatch(_, ctx), let .valueNotFound(_, ctx): return "wrong type\(path(ctx)): \(ctx.debugDescription)"
        case let .dataCorrupted(ctx):
            if let inner = ctx.underlyingError as? ArchitectureError { return inner.description + path(ctx) }
            return "invalid JSON\(path(ctx)): \(ctx.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
