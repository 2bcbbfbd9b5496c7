import Foundation
import XCTest
@testable import NeuralNet

final class BoxMuller8Tests: XCTestCase {
    func testSinCosOfTurnMatchesFoundation() {
        var rng = SeededRandom(seed: 3)
        let q = Int32(1 << 22), e = Int32(1 << 21)
        var ks: [Int32] = [0, 1, e - 1, e, e + 1, q - 1, q, q + 1, q + e, 2 * q + e - 1, 3 * q + e, 4 * q - 1]
        ks += (0..<4000).map { _ in Int32(truncatingIfNeeded: rng.next() >> 40) }
        while ks.count % 8 != 0 { ks.append(123_456) }
        for start in stride(from: 0, to: ks.count, by: 8) {
            let k = SIMD8<Int32>(ks[start..<start + 8])
            let (c, s) = BoxMuller8.sinCosOfTurn(k)
            for l in 0..<8 {
                let angle = 2 * Double.pi * Double(k[l]) / 16_777_216
                XCTAssertEqual(Double(c[l]), cos(angle), accuracy: 1e-6, "cos at k = \(k[l])")
                XCTAssertEqual(Double(s[l]), sin(angle), accuracy: 1e-6, "sin at k = \(k[l])")
            }
        }
    }

    /// 2¹⁸ values: mean 0, variance 1, 68.27 % within one σ, cos and sin halves uncorrelated.
    func testNormalsAreStandardNormal() {
        var rng = SeededRandom(seed: 4)
        var sum = 0.0, squares = 0.0, cross = 0.0, within = 0
        let blocks = 1 << 14
        for _ in 0..<blocks {
            var words = SIMD8<UInt64>()
            for l in 0..<8 { words[l] = rng.next() }
            let z = BoxMuller8.normals(words)
            for l in 0..<8 {
                for v in [Double(z.cos[l]), Double(z.sin[l])] {
                    sum += v; squares += v * v; within += abs(v) < 1 ? 1 : 0
                }
                cross += Double(z.cos[l]) * Double(z.sin[l])
            }
        }
        let n = Double(16 * blocks)
        XCTAssertEqual(sum / n, 0, accuracy: 0.01)
        XCTAssertEqual(squares / n, 1, accuracy: 0.01)
        XCTAssertEqual(Double(within) / n, 0.6827, accuracy: 0.005)
        XCTAssertEqual(cross / (n / 2), 0, accuracy: 0.01)
    }
}
