import Foundation
import NeuralNet

/// A Gaussian over the encoder's codes of the training samples; the squared Mahalanobis
/// distance of a code from it is the `+latent:w` term of a scoring rule (mixed in by `ScoreMix`).
///
/// Reconstruction error misses anomalies the decoder can draw (a pullover under a model of
/// coats); their codes still land where few training codes are.
public struct LatentGaussian: Codable, Equatable, Sendable {
    /// Layer whose output is the code (the architecture's encoder layer).
    public let layer: Int
    public let mean: [Double]
    /// Eigenvalues (descending, after shrinkage) and unit eigenvectors (row i = vector i) of the covariance.
    public let variances: [Double]
    public let axes: [Double]

    /// Covariance shrinkage towards its mean variance: keeps d² finite for a collapsed code unit.
    static let shrinkage = 1e-3

    public var dimension: Int { mean.count }

    /// Fits the Gaussian to `count` codes of `dimension` values.
    public static func fit(codes: [Float], count n: Int, dimension d: Int, layer: Int) throws -> LatentGaussian {
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
        return LatentGaussian(layer: layer, mean: mean, variances: values.map { max($0, 0) + ridge }, axes: axes)
    }

    /// Squared Mahalanobis distances of `count` codes stored back to back.
    public func squaredDistances(_ codes: [Float], count: Int) -> [Double] {
        codes.withUnsafeBufferPointer { c in (0..<count).map { squaredDistance(c.baseAddress! + $0 * dimension) } }
    }

    /// Squared Mahalanobis distance of one code from the mean: Σ ((z − μ)·vᵢ)² / λᵢ.
    public func squaredDistance(_ code: UnsafePointer<Float>) -> Double {
        let d = mean.count
        var total = 0.0
        for i in 0..<d {
            var p = 0.0
            for j in 0..<d { p += (Double(code[j]) - mean[j]) * axes[i * d + j] }
            total += p * p / variances[i]
        }
        return total
    }
}
