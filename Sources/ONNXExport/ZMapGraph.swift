import AnomalyDetection
import Foundation
import ONNX

/// The `zmap` score (`ZMapMaker`) on whole images: the pixelwise maximum of the standardised
/// log-energy terms (reconstruction error, lost sharpness, and for colour the chroma error and,
/// when the rule has colour counts, the colour prior: a Gather from its rarity table), then
/// the mean of the map's top 1% (TopK). Every float32 step is in aedetect's order, the blurs
/// mirrored at the border as aedetect's are.
struct ZMapGraph {
    let graph: GraphBuilder
    let height: Int, width: Int, channels: Int

    /// The blurs' σ: the error map, the input's smoothing, the sharpness map, the chroma map.
    static let sigmas = (error: 1.0, input: 0.7, sharpness: 1.5, chroma: 2.0)
    static let floor: Float = 1e-6

    /// The colour prior's rarity per colour bin (`ColourPrior.rarity`), nil without it.
    var rarity: [Float]? = nil

    /// Error and sharpness, and chroma and the colour prior for colour (`ZMapMaker.termCount`).
    static func termCount(channels: Int, colourPrior: Bool) -> Int { channels == 3 ? (colourPrior ? 4 : 3) : 2 }

    static func fits(height: Int, width: Int) -> Bool {
        [sigmas.error, sigmas.input, sigmas.sharpness, sigmas.chroma].allSatisfy { BlurGraph.fits(sigma: $0, height: height, width: width) }
    }

    /// The score [N] (float64) of images `x` and reconstructions `y`, both [N, H, W, C].
    func score(_ x: String, _ y: String, statistics: [Double]) -> String {
        let map = anomalyMap(graph.toChannelsFirst(x), graph.toChannelsFirst(y), statistics: statistics)
        let k = max(1, Int((0.01 * Double(height * width)).rounded()))
        let top = graph.node("TopK", [graph.flattenItems(map), graph.int64s([k])], outputs: 2, [Attribute.int("axis", 1)])[0]
        return graph.op("ReduceMean", graph.toDouble(top), attributes: [Attribute.ints("axes", [1]), Attribute.int("keepdims", 0)])
    }

    /// [N, 1, H, W]: max over terms of (term − mean) · (1 / std).
    private func anomalyMap(_ x: String, _ y: String, statistics: [Double]) -> String {
        var terms = [
            logOfBlurred(channelSum { graph.square(graph.op("Sub", plane(x, $0), plane(y, $0))) }, sigma: Self.sigmas.error),
            sharpness(x),
        ]
        if channels == 3 { terms.append(logOfBlurred(chromaError(x, y), sigma: Self.sigmas.chroma)) }
        if channels == 3, let rarity { terms.append(logOfBlurred(colourRarity(x, rarity), sigma: Self.sigmas.error)) }
        let standardised = terms.enumerated().map { t, term in
            let mean = Float(statistics[2 * t]), scale = 1 / Float(max(statistics[2 * t + 1], 1e-12))
            return graph.op("Mul", graph.op("Sub", term, graph.floats([mean], shape: [], hint: "zmap_mean")),
                            graph.floats([scale], shape: [], hint: "zmap_scale"))
        }
        return graph.node("Max", standardised)[0]
    }

    /// −ln(G₁.₅ ∗ Σ_c (x − G₀.₇ ∗ x)²): high where the input lost its sharpness.
    private func sharpness(_ x: String) -> String {
        let smooth = BlurGraph(graph: graph).blur(x, sigma: Self.sigmas.input, height: height, width: width, reflect: true)
        let energy = channelSum { graph.square(graph.op("Sub", plane(x, $0), plane(smooth, $0))) }
        return graph.op("Neg", logOfBlurred(energy, sigma: Self.sigmas.sharpness))
    }

    /// The rarity of each pixel's colour bin, (⌊32r⌋·32 + ⌊32g⌋)·32 + ⌊32b⌋ with each level
    /// clamped to 0…31 (`ColourPrior.bin`; the index is exact in float32).
    private func colourRarity(_ x: String, _ rarity: [Float]) -> String {
        let n = Float(ColourPrior.levels), levels = graph.floats([n], shape: [], hint: "colour_levels")
        func level(_ c: Int) -> String {
            graph.op("Clip", graph.op("Floor", graph.op("Mul", plane(x, c), levels)),
                     graph.floats([0], shape: [], hint: "zero"), graph.floats([n - 1], shape: [], hint: "top_level"))
        }
        let index = graph.op("Add", graph.op("Mul", graph.op("Add", graph.op("Mul", level(0), levels), level(1)), levels), level(2))
        let table = graph.floats(rarity, shape: [rarity.count], hint: "colour_rarity")
        return graph.op("Gather", table, graph.op("Cast", index, attributes: [Attribute.int("to", Onnx_TensorProto.DataType.int64.rawValue)]))
    }

    /// (ΔCb)² + (ΔCr)² of Rec. 601 chroma.
    private func chromaError(_ x: String, _ y: String) -> String {
        let (cb, cr) = chroma(x), (cb2, cr2) = chroma(y)
        let db = graph.op("Sub", cb, cb2), dr = graph.op("Sub", cr, cr2)
        return graph.op("Add", graph.square(db), graph.square(dr))
    }

    private func chroma(_ p: String) -> (String, String) {
        func times(_ c: Float, _ v: String) -> String { graph.op("Mul", graph.floats([c], shape: [], hint: "chroma"), v) }
        let (r, g, b) = (plane(p, 0), plane(p, 1), plane(p, 2))
        let luma = graph.op("Add", graph.op("Add", times(0.299, r), times(0.587, g)), times(0.114, b))
        return (times(0.564, graph.op("Sub", b, luma)), times(0.713, graph.op("Sub", r, luma)))
    }

    /// ln(max(G_σ ∗ e, 0) + 10⁻⁶), mirrored blur.
    private func logOfBlurred(_ e: String, sigma: Double) -> String {
        let blurred = BlurGraph(graph: graph).blur(e, sigma: sigma, height: height, width: width, reflect: true)
        let floored = graph.op("Add", graph.op("Max", blurred, graph.floats([0], shape: [], hint: "zero")),
                               graph.floats([Self.floor], shape: [], hint: "floor"))
        return graph.op("Log", floored)
    }

    /// Σ_c f(c), added channel after channel as aedetect does.
    private func channelSum(_ f: (Int) -> String) -> String {
        (1..<channels).reduce(f(0)) { graph.op("Add", $0, f($1)) }
    }

    /// Channel c of [N, C, H, W], as [N, 1, H, W].
    private func plane(_ v: String, _ c: Int) -> String { graph.slice(v, axis: 1, c..<(c + 1)) }
}
