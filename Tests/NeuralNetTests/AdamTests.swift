import XCTest
@testable import NeuralNet

final class AdamTests: XCTestCase {
    func testTwoStepsByHand() {
        let p = Parameter(name: "w", shape: [1])
        p.value[0] = 1
        let adam = Adam(parameters: [p], learningRate: 0.1)
        // Step 1, g = 2: m = 0.2, v = 0.004, α = 0.1·√0.001/0.1 = √0.001;
        // θ = 1 − √0.001·0.2/(√0.004 + 1e−7) = 1 − 0.1·(1 − ~1.6e−6) ≈ 0.9000002
        p.grad[0] = 2
        adam.update()
        let alpha1 = 0.1 * (1 - 0.999).squareRoot() / (1 - 0.9)
        let theta1 = 1 - alpha1 * 0.2 / (0.004.squareRoot() + 1e-7)
        XCTAssertEqual(Double(p.value[0]), theta1, accuracy: 1e-6)
        // Step 2, g = −1: m = 0.9·0.2 − 0.1 = 0.08, v = 0.999·0.004 + 0.001 = 0.004996
        p.grad[0] = -1
        adam.update()
        let alpha2 = 0.1 * (1 - 0.999 * 0.999).squareRoot() / (1 - 0.81)
        let theta2 = theta1 - alpha2 * 0.08 / (0.004996.squareRoot() + 1e-7)
        XCTAssertEqual(Double(p.value[0]), theta2, accuracy: 1e-6)
        XCTAssertEqual(adam.step, 2)
    }

    func testMinimisesAQuadratic() {
        let p = Parameter(name: "w", shape: [3])
        for i in 0..<3 { p.value[i] = Float(i) * 3 - 4 }
        let adam = Adam(parameters: [p], learningRate: 0.05)
        for _ in 0..<2000 {
            for i in 0..<3 { p.grad[i] = 2 * (p.value[i] - 1) }  // d/dw (w − 1)²
            adam.update()
        }
        for i in 0..<3 { XCTAssertEqual(p.value[i], 1, accuracy: 1e-2) }
    }

    /// Enough parameters for the two-core update (each core takes half of every tensor, odd
    /// sizes included): the same values as the formulas applied element by element.
    func testTwoCoreUpdateMatchesElementwiseFormulas() {
        let shapes = [[301, 257], [3], [1]]
        let params = shapes.enumerated().map { k, shape -> Parameter in
            let p = Parameter(name: "w\(k)", shape: shape)
            p.value.copy(from: randomTensor(shape, seed: UInt64(k)))
            return p
        }
        XCTAssertGreaterThanOrEqual(params.reduce(0) { $0 + $1.count }, Adam.minimumParallelCount)
        var w = params.map(\.value.array)
        var m = params.map { [Float](repeating: 0, count: $0.count) }, v = m
        let adam = Adam(parameters: params, learningRate: 0.01)
        for step in 1...3 {
            for (k, p) in params.enumerated() { p.grad.copy(from: randomTensor(p.value.shape, seed: UInt64(10 * step + k))) }
            adam.update()
            let t = Float(step), alpha = 0.01 * (1 - powf(0.999, t)).squareRoot() / (1 - powf(0.9, t))
            for (k, p) in params.enumerated() {
                for i in 0..<p.count {
                    let g = p.grad[i]
                    m[k][i] += (g - m[k][i]) * (1 - 0.9)
                    v[k][i] += (g * g - v[k][i]) * (1 - 0.999)
                    w[k][i] -= alpha * m[k][i] / (v[k][i].squareRoot() + 1e-7)
                }
                assertClose(p.value.array, w[k], tolerance: 1e-6)
            }
        }
    }
}
