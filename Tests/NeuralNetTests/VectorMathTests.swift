import Foundation
import XCTest
@testable import NeuralNet

final class VectorMathTests: XCTestCase {
    func testLogMatchesFoundation() {
        var rng = SeededRandom(seed: 2)
        let edges: [Float] = [1, 0.5, 0.70710677, 0.7071068, 1.0 / 16_777_216, 0.99999994, 2, 1.4142135, 1.4142137, 1e-30, 3e5]
        let values = edges + (0..<4000).map { _ in Float(rng.next() >> 40 + 1) / 16_777_216 }
        for start in stride(from: 0, to: values.count - 7, by: 8) {
            let x = SIMD8<Float>(values[start..<start + 8])
            let got = VectorMath.log(x)
            for l in 0..<8 {
                let want = log(Double(x[l]))
                XCTAssertEqual(Double(got[l]), want, accuracy: 1e-6 * max(1, abs(want)), "log \(x[l])")
            }
        }
    }

    func testExpMatchesFoundation() {
        var rng = SeededRandom(seed: 5)
        let values: [Float] = [0, -0.0, 1e-8, -1e-8, 0.34657359, -0.34657359, -87, -87.3, 1, -1, 88, -20.5, 0.5, -0.5,
                               -1e-30, 3, 7, -60] + (0..<4000).map { _ in rng.uniform(-87, 88) }
        for start in stride(from: 0, to: values.count - 7, by: 8) {
            let x = SIMD8<Float>(values[start..<start + 8])
            let got = VectorMath.exp(x)
            for l in 0..<8 {
                let want = exp(Double(x[l]))
                XCTAssertEqual(Double(got[l]), want, accuracy: 3e-7 * want, "exp \(x[l])")
            }
        }
        let floor = exp(Double(Float(-87.3)))
        XCTAssertEqual(Double(VectorMath.exp(SIMD8(repeating: -200))[0]), floor, accuracy: 1e-6 * floor, "clamped below")
    }

    func testLog1pMatchesFoundationDownToTinyArguments() {
        var rng = SeededRandom(seed: 6)
        let values: [Float] = [0, 1e-30, 1e-10, 3e-8, 5.9e-8, 6e-8, 1.2e-7, 1e-6, 1e-3, 0.5, 1, 2, 1e4, 0.25, 7e-5, 0.999]
            + (0..<4000).map { _ in rng.uniform(0, 1) * powf(10, -rng.uniform(0, 8)) }
        for start in stride(from: 0, to: values.count - 7, by: 8) {
            let x = SIMD8<Float>(values[start..<start + 8])
            let got = VectorMath.log1p(x)
            for l in 0..<8 {
                let want = log1p(Double(x[l]))
                XCTAssertEqual(Double(got[l]), want, accuracy: 3e-7 * want, "log1p \(x[l])")
            }
        }
    }
}
