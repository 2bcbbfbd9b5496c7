import Foundation
import NeuralNet
import XCTest
@testable import AnomalyDetection

/// 1 − SSIM against a direct computation: the window applied as an explicit 2-D sum over every
/// pixel (the separable blur factored), in Double.
final class StructuralDissimilarityTests: XCTestCase {
    private func direct(_ x: [Float], _ y: [Float], h: Int, w: Int, sigma: Double) -> Double {
        let r = max(1, Int((3 * sigma).rounded(.up)))
        let raw = (-r...r).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let g = raw.map { $0 / raw.reduce(0, +) }
        func window(_ f: (Int) -> Double, _ py: Int, _ px: Int) -> Double {
            var s = 0.0
            for dy in -r...r { for dx in -r...r {
                let yy = py + dy, xx = px + dx
                if yy >= 0, yy < h, xx >= 0, xx < w { s += g[dy + r] * g[dx + r] * f(yy * w + xx) }
            } }
            return s
        }
        var total = 0.0
        let c1 = 0.0001, c2 = 0.0009
        for py in 0..<h { for px in 0..<w {
            let mx = window({ Double(x[$0]) }, py, px), my = window({ Double(y[$0]) }, py, px)
            let vx = window({ Double(x[$0] * x[$0]) }, py, px) - mx * mx
            let vy = window({ Double(y[$0] * y[$0]) }, py, px) - my * my
            let cxy = window({ Double(x[$0] * y[$0]) }, py, px) - mx * my
            total += 1 - (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        } }
        return total / Double(h * w)
    }

    private func measured(_ x: [Float], _ y: [Float], h: Int, w: Int, sigma: Double) -> Double {
        let s = StructuralDissimilarity(sigma: sigma, height: h, width: w, channels: 1)
        return x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in s.mean(a.baseAddress!, b.baseAddress!) } }
    }

    func testMatchesTheDirectFormulaOnRandomImages() {
        var rng = SeededRandom(seed: 11)
        for (h, w, sigma) in [(7, 9, 1.0), (12, 5, 1.5), (4, 4, 0.7)] {
            let x = (0..<(h * w)).map { _ in Float.random(in: 0...1, using: &rng) }
            let y = x.map { min(1, max(0, $0 + Float.random(in: -0.3...0.3, using: &rng))) }
            XCTAssertEqual(measured(x, y, h: h, w: w, sigma: sigma), direct(x, y, h: h, w: w, sigma: sigma), accuracy: 1e-5)
        }
    }

    func testIdenticalImagesScoreZeroAndLostStructureScoresHigh() {
        var rng = SeededRandom(seed: 3)
        let x = (0..<64).map { _ in Float.random(in: 0...1, using: &rng) }
        XCTAssertEqual(measured(x, x, h: 8, w: 8, sigma: 1), 0, accuracy: 1e-5)
        // The same mean brightness everywhere but no texture: worse than a slightly noisy copy.
        let mean = x.reduce(0, +) / 64
        let flat = [Float](repeating: mean, count: 64)
        let noisy = x.map { $0 + Float.random(in: -0.05...0.05, using: &rng) }
        XCTAssertGreaterThan(measured(x, flat, h: 8, w: 8, sigma: 1), 5 * measured(x, noisy, h: 8, w: 8, sigma: 1))
    }

    func testRuleScoresOneValuePerSample() {
        let rule = ScoringRule.smoothedMSE(sigma: 1, structureWeight: 1, structureSigma: 1)
        var rng = SeededRandom(seed: 8)
        let x = (0..<(3 * 16)).map { _ in Float.random(in: 0...1, using: &rng) }
        let y = x.map { $0 * 0.5 }
        let scores = x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in
            rule.structureScores(inputs: a.baseAddress!, reconstructions: b.baseAddress!, count: 3, height: 4, width: 4, channels: 1)
        } }
        XCTAssertEqual(scores.count, 3)
        for s in 0..<3 {
            XCTAssertEqual(scores[s], direct(Array(x[(s * 16)..<((s + 1) * 16)]), Array(y[(s * 16)..<((s + 1) * 16)]), h: 4, w: 4, sigma: 1), accuracy: 1e-5)
        }
        XCTAssertEqual(x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in
            ScoringRule.smoothedMSE(sigma: 1).structureScores(inputs: a.baseAddress!, reconstructions: b.baseAddress!, count: 3, height: 4, width: 4, channels: 1)
        } }, [], "no term, no values")
    }
}
