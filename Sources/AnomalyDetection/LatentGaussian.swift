import Foundation
import NeuralNet

/// A Gaussian over the encoder's codes of the training samples, and the rule that mixes its
/// Mahalanobis distance into the reconstruction score.
///
/// Reconstruction error misses anomalies the decoder can draw (a pullover under a model of
/// coats); their codes still land where few training codes are. The two are on unrelated
/// scales, so each is standardised in log space with the mean and standard deviation it has
/// on the training part (never on the calibration slice, which must stay exchangeable with
/// new samples): score = exp(z(log r) + w · z(log d²)). The exp keeps scores positive and
/// monotone in the sum, so thresholds, p-values and log-scale charts work unchanged.
public struct LatentGaussian: Codable, Equatable, Sendable {
    /// Layer whose output is the code (the architecture's encoder layer).
    public let layer: Int
    public let mean: [Double]
    /// Eigenvalues (descending, after shrinkage) and unit eigenvectors (row i = vector i) of the covariance.
    public let variances: [Double]
    public let axes: [Double]
    /// Weight w of the distance term.
    public let weight: Double
    /// Mean and standard deviation of log(reconstruction score) and of log(d²) on the training part.
    public let reconstructionLog: Moments
    public let distanceLog: Moments

    public struct Moments: Codable, Equatable, Sendable {
        public let mean: Double
        public let std: Double

        init(_ values: [Double]) {
            let logs = values.map { log(max($0, LatentGaussian.floor)) }
            let m = logs.reduce(0, +) / Double(max(1, logs.count))
            let v = logs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, logs.count - 1))
            mean = m
            std = max(v.squareRoot(), 1e-6)
        }

        func z(_ value: Double) -> Double { (log(max(value, LatentGaussian.floor)) - mean) / std }
    }

    /// Scores and distances are floored before their log (an exact reconstruction scores 0).
    static let floor = 1e-12
    /// Covariance shrinkage towards its mean variance: keeps d² finite for a collapsed code unit.
    static let shrinkage = 1e-3

    public var dimension: Int { mean.count }

    /// Fits the Gaussian to `count` codes of `dimension` values and the two standardisations to
    /// the same samples' reconstruction scores.
    public static func fit(codes: [Float], count n: Int, dimension d: Int, layer: Int, weight: Double,
                           reconstructionScores: [Double]) throws -> LatentGaussian {
        guard n > d else {
            throw DetectorError.tooFewSamples("\(n) training samples are too few for a \(d)-dimensional latent Gaussian")
        }
        let mean = (0..<d).map { j in (0..<n).reduce(0.0) { $0 + Double(codes[$1 * d + j]) } / Double(n) }
        var cov = [Double](repeating: 0, count: d * d)
        for s in 0..<n {
            for i in 0..<d {
                let a = Double(codes[s * d + i]) - mean[i]
                for j in i..<d { cov[i * d + j] += a * (Double(codes[s * d + j]) - mean[j]) }
            }
        }
        for i in 0..<d { for j in i..<d { cov[i * d + j] /= Double(n - 1); cov[j * d + i] = cov[i * d + j] } }
        let ridge = shrinkage * max((0..<d).reduce(0.0) { $0 + cov[$1 * d + $1] } / Double(d), 1e-12)
        let (values, axes) = try SymmetricEigen.decompose(cov, n: d)
        let variances = values.map { max($0, 0) + ridge }
        let distances = codes.withUnsafeBufferPointer { c in
            (0..<n).map { squaredDistance(c.baseAddress! + $0 * d, mean: mean, axes: axes, variances: variances) }
        }
        return LatentGaussian(layer: layer, mean: mean, variances: variances, axes: axes, weight: weight,
                              reconstructionLog: Moments(reconstructionScores), distanceLog: Moments(distances))
    }

    /// Squared Mahalanobis distance of one code from the mean: Σ ((z − μ)·vᵢ)² / λᵢ.
    public func squaredDistance(_ code: UnsafePointer<Float>) -> Double {
        Self.squaredDistance(code, mean: mean, axes: axes, variances: variances)
    }

    private static func squaredDistance(_ code: UnsafePointer<Float>, mean: [Double], axes: [Double], variances: [Double]) -> Double {
        let d = mean.count
        var total = 0.0
        for i in 0..<d {
            var p = 0.0
            for j in 0..<d { p += (Double(code[j]) - mean[j]) * axes[i * d + j] }
            total += p * p / variances[i]
        }
        return total
    }

    /// The combined score of one sample from its reconstruction score and code.
    public func score(reconstruction r: Double, code: UnsafePointer<Float>) -> Double {
        exp(min(reconstructionLog.z(r) + weight * distanceLog.z(squaredDistance(code)), 700))
    }
}
