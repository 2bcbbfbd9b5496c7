import Foundation

/// aedetect's SeparableBlur on channels-first images [N, C, H, W]: the same normalised Gaussian
/// taps out to ⌈3σ⌉ (at least 1), along the width then the height, with zeros beyond the border
/// or, with `reflect`, the image mirrored at its border (d c b a | a b c d).
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

    /// Mirroring reflects once: the radius must not exceed the side.
    static func fits(sigma: Double, height: Int, width: Int) -> Bool {
        taps(sigma: sigma).count / 2 <= min(height, width)
    }

    func blur(_ x: String, sigma: Double, height: Int, width: Int, reflect: Bool = false) -> String {
        let g = Self.taps(sigma: sigma)
        precondition(!reflect || Self.fits(sigma: sigma, height: height, width: width), "a mirrored blur wider than the image")
        return pass(pass(x, g, axis: 3, length: width, reflect: reflect), g, axis: 2, length: height, reflect: reflect)
    }

    /// Σ_t g[t] · x shifted by t along `axis`, padded by the radius on both sides.
    private func pass(_ x: String, _ g: [Float], axis: Int, length: Int, reflect: Bool) -> String {
        let r = g.count / 2
        let padded: String
        if reflect {
            padded = graph.op("Concat", graph.reversed(x, axis: axis, 0..<r), x, graph.reversed(x, axis: axis, (length - r)..<length),
                              attributes: [Attribute.int("axis", axis)])
        } else {
            var pads = [Int](repeating: 0, count: 8)
            pads[axis] = r
            pads[4 + axis] = r
            padded = graph.op("Pad", x, graph.int64s(pads))
        }
        var sum: String?
        for (k, weight) in g.enumerated() {
            let term = graph.op("Mul", graph.slice(padded, axis: axis, k..<(k + length)), graph.floats([weight], shape: [], hint: "tap"))
            sum = sum.map { graph.op("Add", $0, term) } ?? term
        }
        return sum!
    }
}
