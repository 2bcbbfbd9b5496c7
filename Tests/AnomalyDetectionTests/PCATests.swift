import NeuralNet
import XCTest
@testable import AnomalyDetection

/// PCA on a synthetic data set whose principal directions are known.
final class PCATests: XCTestCase {
    // Two orthonormal directions in R⁶ and a third orthogonal to both.
    let u1: [Float] = [1, 1, 0, 0, 0, 0].map { $0 / Float(2).squareRoot() }
    let u2: [Float] = [0, 0, 1, 0, 0, 0]
    let off: [Float] = [1, -1, 0, 0, 0, 0].map { $0 / Float(2).squareRoot() }
    let mean: [Float] = [0.5, -1, 2, 0, 1, 3]

    /// μ + 3a·u1 + b·u2 with a, b ~ N(0, 1): variances 9 and 1, nothing else.
    private func samples(_ n: Int) -> [Float] {
        var rng = SeededRandom(seed: 11)
        var out: [Float] = []
        for _ in 0..<n {
            let a = 3 * rng.normal(), b = rng.normal()
            out += (0..<6).map { mean[$0] + a * u1[$0] + b * u2[$0] }
        }
        return out
    }

    private func dot(_ a: ArraySlice<Float>, _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    func testRecoversTheKnownComponentsInOrder() throws {
        let x = samples(2000)
        let pca = try x.withUnsafeBufferPointer { try PCA.fit($0.baseAddress!, count: 2000, dimension: 6, components: 2) }
        XCTAssertEqual(abs(dot(pca.components[0..<6], u1)), 1, accuracy: 1e-4)
        XCTAssertEqual(abs(dot(pca.components[6..<12], u2)), 1, accuracy: 1e-4)
        XCTAssertEqual(pca.variances[0], 9, accuracy: 0.9)
        XCTAssertEqual(pca.variances[1], 1, accuracy: 0.1)
        for j in 0..<6 { XCTAssertEqual(pca.mean[j], mean[j], accuracy: 0.2) }
    }

    func testReconstructionErrorIsZeroInTheSpanAndTheSquaredDistanceOutside() throws {
        let x = samples(500)
        let pca = try x.withUnsafeBufferPointer { try PCA.fit($0.baseAddress!, count: 500, dimension: 6, components: 2) }
        let m = pca.mean
        let inSpan = (0..<6).map { m[$0] + 2 * u1[$0] - 1.5 * u2[$0] }
        let outside = (0..<6).map { m[$0] + 0.5 * u1[$0] + 3 * off[$0] }   // distance 3 from the span
        let points = inSpan + outside
        let errors = points.withUnsafeBufferPointer {
            pca.scores($0.baseAddress!, count: 2, preprocessing: Preprocessing(height: 1, width: 6, channels: 1))
        }
        XCTAssertEqual(errors[0], 0, accuracy: 1e-9)
        XCTAssertEqual(errors[1], 9.0 / 6, accuracy: 1e-4)   // mean over 6 values of the squared residual 3²
    }
}
