import Foundation

/// Mean and sample standard deviation of log(value) over a set of positive values, and the
/// z-score of a new value against them. Values are floored before their log (an exact
/// reconstruction scores 0).
public struct LogMoments: Codable, Equatable, Sendable {
    public let mean: Double
    public let std: Double

    static let floor = 1e-12

    public init(_ values: [Double]) {
        let logs = values.map { log(max($0, Self.floor)) }
        let m = logs.reduce(0, +) / Double(max(1, logs.count))
        let v = logs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, logs.count - 1))
        mean = m
        std = max(v.squareRoot(), 1e-6)
    }

    public func z(_ value: Double) -> Double { (log(max(value, Self.floor)) - mean) / std }
}
