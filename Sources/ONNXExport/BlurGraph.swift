import Foundation

/// aedetect's SeparableBlur on channels-first images [N, C, H, W]: the same normalised Gaussian
/// taps out to ⌈3σ⌉ (at least 1), along the width then the height, zeros beyond the border.
///
/// Written as shifted copies multiplied by a tap and added in ascending tap order, not as a
/// Conv: that is the order of aedetect's loops, so the blur is the same to the last bit. It
/// matters for SSIM, whose local variances E[x²] − E[x]² cancel to nearly nothing on a flat
/// region; a Conv's other summation order moves such a variance by 10⁻⁷, which the constant
/// C2 = 9·10⁻⁴ beside it turns into a relative change of 10⁻⁴ in the score.
struct BlurGraph {
    let graph: GraphBuilder

    static func taps(sigma: Double) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        let raw = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = raw.reduce(0, +)
        return raw.map { Float($0 / total) }
    }

    func blur(_ x: String, sigma: Double, height: Int, width: Int) -> String {
        let g = Self.taps(sigma: sigma)
        return pass(pass(x, g, axis: 3, length: width), g, axis: 2, length: height)
    }

    /// Σ_t g[t] · x shifted by t along `axis`, zero-padded by the radius on both sides.
    private func pass(_ x: String, _ g: [Float], axis: Int, length: Int) -> String {
        let r = g.count / 2
        var pads = [Int](repeating: 0, count: 8)
        pads[axis] = r
        pads[4 + axis] = r
        let padded = graph.op("Pad", x, graph.int64s(pads))
        var sum: String?
        for (k, weight) in g.enumerated() {
            let term = graph.op("Mul", graph.slice(padded, axis: axis, k..<(k + length)), graph.floats([weight], shape: [], hint: "tap"))
            sum = sum.map { graph.op("Add", $0, term) } ?? term
        }
        return sum!
    }
}
