import XCTest
@testable import AnomalyDetection

final class PeaksOverThresholdTests: XCTestCase {
    func testTailQuantileFormula() {
        // ξ = 0.5, σ = 2, tail probability 0.01: σ/ξ·(0.01^(−0.5) − 1) = 4 · (10 − 1) = 36.
        XCTAssertEqual(GeneralizedPareto(xi: 0.5, sigma: 2).exceedanceQuantile(tailProbability: 0.01), 36, accuracy: 1e-9)
        // ξ = 0 (exponential limit): −σ·ln(0.01) = 2 · 4.605170 = 9.210340.
        XCTAssertEqual(GeneralizedPareto(xi: 0, sigma: 2).exceedanceQuantile(tailProbability: 0.01), 9.210340, accuracy: 1e-6)
        // ξ = −0.5, σ = 1, p = 0.25: 1/(−0.5)·(0.25^0.5 − 1) = −2 · (−0.5) = 1.
        XCTAssertEqual(GeneralizedPareto(xi: -0.5, sigma: 1).exceedanceQuantile(tailProbability: 0.25), 1, accuracy: 1e-12)
    }

    func testExponentialTailGivesShapeNearZero() throws {
        // Exceedances of an Exp(1) sample over any level are Exp(1): ξ = 0, σ = 1.
        // True 0.9999 quantile: −ln(1e−4) = 9.2103.
        var rng = TestRandom(seed: 7)
        let scores = (0..<20_000).map { _ in rng.exponential() }
        let c = try Calibration.fit(scores: scores, method: .evt(0.9999))
        let pot = try XCTUnwrap(c.peaksOverThreshold)
        XCTAssertEqual(pot.exceedances, 2000)
        XCTAssertEqual(pot.level, log(10), accuracy: 0.1)  // the 90% point of Exp(1)
        XCTAssertEqual(pot.tail.xi, 0, accuracy: 0.08)
        XCTAssertEqual(pot.tail.sigma, 1, accuracy: 0.1)
        XCTAssertEqual(c.threshold, -log(1e-4), accuracy: 0.1 * 9.2103)
    }

    func testParetoTailRecoversItsShape() throws {
        // Pareto(α = 4): P(X > x) = x^(−4); excesses over u are GPD with ξ = 1/α = 0.25, σ = u/α.
        // u ≈ 0.1^(−1/4) = 1.778, σ ≈ 0.445; true 0.9999 quantile: (1e−4)^(−1/4) = 10.
        var rng = TestRandom(seed: 11)
        let scores = (0..<20_000).map { _ in rng.pareto(alpha: 4) }
        let c = try Calibration.fit(scores: scores, method: .evt(0.9999))
        let pot = try XCTUnwrap(c.peaksOverThreshold)
        XCTAssertEqual(pot.tail.xi, 0.25, accuracy: 0.08)
        XCTAssertEqual(pot.tail.sigma, pot.level / 4, accuracy: 0.05)
        XCTAssertEqual(c.threshold, 10, accuracy: 1.5)
    }

    func testFitMaximisesTheLikelihood() {
        var rng = TestRandom(seed: 3)
        let y = (0..<500).map { _ in rng.pareto(alpha: 3) - 1 }.filter { $0 > 0 }
        let fit = GeneralizedPareto.fit(exceedances: y)
        let best = logLikelihood(fit, y)
        for (dx, ds) in [(0.02, 0.0), (-0.02, 0.0), (0.0, 0.02), (0.0, -0.02), (0.02, 0.02), (-0.02, -0.02)] {
            let nearby = GeneralizedPareto(xi: fit.xi + dx, sigma: fit.sigma * (1 + ds))
            XCTAssertGreaterThanOrEqual(best, logLikelihood(nearby, y), "(ξ, σ) moved by (\(dx), \(ds))")
        }
    }

    func testBoundedTailKeepsShapeAtTheRegularityLimit() throws {
        // Uniform(0, 1): true ξ = −1 is below the −0.5 floor, so the fit stops at the floor and the
        // threshold stays near the upper end point 1.
        var rng = TestRandom(seed: 5)
        let c = try Calibration.fit(scores: (0..<5000).map { _ in rng.uniform() }, method: .evt(0.999))
        let pot = try XCTUnwrap(c.peaksOverThreshold)
        XCTAssertGreaterThanOrEqual(pot.tail.xi, GeneralizedPareto.minimumShape - 1e-9)
        XCTAssertEqual(c.threshold, 1, accuracy: 0.03)
    }

    func testTooFewScoresIsAnError() {
        XCTAssertThrowsError(try Calibration.fit(scores: (1...99).map(Double.init), method: .evt(0.999))) {
            XCTAssertTrue("\($0)".contains("at least 100"), "\($0)")
        }
    }

    /// Σ log f(y) with f(y) = (1/σ)(1 + ξy/σ)^(−1/ξ − 1), written out independently of the fit.
    private func logLikelihood(_ d: GeneralizedPareto, _ y: [Double]) -> Double {
        y.reduce(0) { sum, v in
            let z = 1 + d.xi * v / d.sigma
            if z <= 0 { return -.infinity }
            return sum - log(d.sigma) - (1 / d.xi + 1) * log(z)
        }
    }
}
