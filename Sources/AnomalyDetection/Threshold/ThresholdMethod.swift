import Foundation

/// How the outlier threshold is derived from calibration scores (see DESIGN.md, "Thresholds").
///
/// Written on the command line and in the model file as `method:value`, e.g. `quantile:0.99`.
/// A bare method name takes that method's default value (`sigma` means `sigma:3`).
public enum ThresholdMethod: Equatable, Sendable {
    /// The ⌈(n+1)q⌉-th smallest held-out normal score; q in (0, 1).
    case quantile(Double)
    /// mean + k·std of the held-out normal scores; k > 0.
    case sigma(Double)
    /// The training data holds a fraction c of outliers; c in (0, 0.5].
    case contamination(Double)
    /// Peaks over threshold with a generalised Pareto tail, for risks 1−q below the 10% tail; q in (0.9, 1).
    case evt(Double)

    public static let `default` = ThresholdMethod.quantile(0.99)

    public var name: String {
        switch self {
        case .quantile: return "quantile"
        case .sigma: return "sigma"
        case .contamination: return "contamination"
        case .evt: return "evt"
        }
    }

    public var value: Double {
        switch self {
        case .quantile(let v), .sigma(let v), .contamination(let v), .evt(let v): return v
        }
    }

    /// Parses `quantile:0.99`, `sigma:3`, `contamination:0.05`, `evt:0.999` or a bare method name.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].lowercased()
        guard let make = ThresholdMethod.constructors[name] else {
            throw ThresholdMethodError(text, "unknown threshold method '\(parts[0])'")
        }
        guard parts.count == 2 else {
            self = make(ThresholdMethod.defaultValues[name]!)
            return
        }
        let valueText = parts[1].trimmingCharacters(in: .whitespaces)
        guard let value = Double(valueText), value.isFinite else {
            throw ThresholdMethodError(text, "'\(valueText)' is not a finite number")
        }
        let method = make(value)
        if let problem = method.rangeProblem { throw ThresholdMethodError(text, problem) }
        self = method
    }

    /// Why the value is out of range for the method, or nil when it is valid.
    public var rangeProblem: String? {
        switch self {
        case .quantile(let q) where !(q > 0 && q < 1):
            return "q must be in (0, 1)"
        case .sigma(let k) where !(k > 0 && k.isFinite):
            return "k must be a positive number"
        case .contamination(let c) where !(c > 0 && c <= 0.5):
            return "c must be in (0, 0.5]"
        case .evt(let q) where !(q > 0.9 && q < 1):
            return "q must be in (0.9, 1): the tail model covers the top 10% of scores; use quantile:q below that"
        default:
            return nil
        }
    }

    private static let constructors: [String: (Double) -> ThresholdMethod] = [
        "quantile": ThresholdMethod.quantile, "sigma": ThresholdMethod.sigma,
        "contamination": ThresholdMethod.contamination, "evt": ThresholdMethod.evt,
    ]

    private static let defaultValues: [String: Double] = [
        "quantile": 0.99, "sigma": 3, "contamination": 0.05, "evt": 0.999,
    ]
}

extension ThresholdMethod: CustomStringConvertible {
    /// The `method:value` form that `init(parsing:)` reads back; whole numbers without ".0".
    public var description: String {
        let v = value
        let number = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        return "\(name):\(number)"
    }
}

/// Stored as its `method:value` string so the model file stays readable.
extension ThresholdMethod: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try ThresholdMethod(parsing: text)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public struct ThresholdMethodError: Error, LocalizedError, CustomStringConvertible, Equatable {
    public let input: String
    public let reason: String

    init(_ input: String, _ reason: String) {
        self.input = input
        self.reason = reason
    }

    public var description: String {
        "invalid threshold '\(input)': \(reason) (expected quantile:q, sigma:k, contamination:c or evt:q)"
    }

    public var errorDescription: String? { description }
}
