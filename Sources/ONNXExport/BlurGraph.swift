import Foundation

/// aedetect's SeparableBlur as two depthwise convolutions on channels-first images: the same
/// normalised Gaussian taps out to ⌈3σ⌉ (at least 1), along the width then the height, with
/// zeros beyond the border.
struct BlurGraph {
    let graph: GraphBuilder

    static func taps(sigma: Double) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        let raw = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = raw.reduce(0, +)
        return raw.map { Float($0 / total) }
    }

    /// `x` [N, channels, H, W] blurred channel by channel.
    func blur(_ x: String, sigma: Double, channels: Int) -> String {
        let g = Self.taps(sigma: sigma), r = g.count / 2
        let weights = (0..<channels).flatMap { _ in g }
        let across = graph.floats(weights, shape: [channels, 1, 1, g.count], hint: "blur_w")
        let down = graph.floats(weights, shape: [channels, 1, g.count, 1], hint: "blur_h")
        let rows = graph.op("Conv", x, across, attributes: [
            Attribute.int("group", channels), Attribute.ints("kernel_shape", [1, g.count]), Attribute.ints("pads", [0, r, 0, r])])
        return graph.op("Conv", rows, down, attributes: [
            Attribute.int("group", channels), Attribute.ints("kernel_shape", [g.count, 1]), Attribute.ints("pads", [r, 0, r, 0])])
    }
}
