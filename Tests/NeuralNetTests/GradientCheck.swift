import XCTest
@testable import NeuralNet

/// Central finite differences against a layer's analytic backward pass.
///
/// The scalar checked is L = Σ y ⊙ r for a fixed random r, so dL/dy = r. Each input
/// element and each parameter element (or a random sample of them for large tensors)
/// is nudged by ±h and (L(+h) − L(−h)) / 2h compared with the analytic gradient.
/// Sums are taken in Double so the only float error is the layer's own.
struct GradientCheck {
    var h: Float = 1e-2
    var tolerance: Double = 2e-2
    var samplesPerTensor = 60

    /// Returns the largest relative error seen (reported by the caller's assertion).
    @discardableResult
    func check(_ layer: Layer, input: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Double {
        var rng = SeededRandom(seed: 99)
        let y0 = layer.forward(input, training: true)
        let r = Tensor(shape: y0.shape)
        for i in 0..<r.count { r[i] = rng.uniform(-1, 1) }
        let analyticInput = layer.backward(r).clone()
        let analyticParams = layer.parameters.map { $0.grad.clone() }

        func loss() -> Double {
            let y = layer.forward(input, training: true)
            var s = 0.0
            for i in 0..<y.count { s += Double(y[i]) * Double(r[i]) }
            return s
        }
        func numeric(_ t: Tensor, _ i: Int) -> Double {
            let old = t[i]
            t[i] = old + h; let plus = loss()
            t[i] = old - h; let minus = loss()
            t[i] = old
            return (plus - minus) / (2 * Double(h))
        }

        var worst = 0.0
        func compare(_ t: Tensor, _ g: Tensor, _ what: String) {
            var num = [Double](), ana = [Double]()
            let indices = t.count <= samplesPerTensor ? Array(0..<t.count)
                : (0..<samplesPerTensor).map { _ in Int(rng.next() % UInt64(t.count)) }
            for i in indices { num.append(numeric(t, i)); ana.append(Double(g[i])) }
            // Relative to the tensor's gradient scale, so near-zero entries don't dominate.
            let scale = max(ana.map(abs).max() ?? 0, num.map(abs).max() ?? 0, 1e-3)
            let err = zip(num, ana).map { abs($0 - $1) }.max() ?? 0
            let rel = err / scale
            worst = max(worst, rel)
            XCTAssertLessThan(rel, tolerance, "\(layer.kind) d/d\(what): relative error \(rel)", file: file, line: line)
        }
        compare(input, analyticInput, "input")
        for (p, g) in zip(layer.parameters, analyticParams) { compare(p.value, g, p.name) }
        return worst
    }
}

/// A tensor of uniform values in [low, high).
func randomTensor(_ shape: [Int], seed: UInt64 = 1, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = SeededRandom(seed: seed)
    let t = Tensor(shape: shape)
    for i in 0..<t.count { t[i] = rng.uniform(low, high) }
    return t
}

/// Elementwise closeness of two arrays (largest absolute difference ≤ tolerance).
func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "element counts", file: file, line: line)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "largest difference", file: file, line: line)
}
