import AnomalyDetection
import Foundation

/// A detector's whole anomaly score as ONNX operators, term by term as aedetect computes it
/// (`ScoringRule` and its terms, `LatentGaussian`, `ScoreMix`). Pixel values stay float32 as in
/// aedetect; each per-sample term becomes float64 where aedetect turns it into a Double, and the
/// mix of terms is computed in float64, so the score is the number scores.csv reports.
struct ScoreGraph {
    let graph: GraphBuilder
    let height: Int, width: Int, channels: Int

    /// The score [N] (float64) of `input` reconstructed as `reconstruction` (both in the model's
    /// input shape); `code` is the latent layer's output when the rule has a latent term.
    func score(input x: String, reconstruction y: String, code: String?, rule: ScoringRule,
               latent: LatentGaussian?, mix: ScoreMix?) throws -> String {
        let reconstruction = try reconstructionTerm(x, y, rule)
        guard let mix else { return reconstruction }
        var sum = z(reconstruction, mix.reconstruction)
        if let moments = mix.structure {
            let s = structureTerm(x, y, sigma: rule.structureSigma)
            sum = graph.op("Add", sum, graph.op("Mul", graph.scalar(rule.structureWeight), z(s, moments)))
        }
        if let moments = mix.distance, let latent, let code {
            sum = graph.op("Add", sum, graph.op("Mul", graph.scalar(rule.latentWeight), z(latentTerm(code, latent), moments)))
        }
        return graph.op("Exp", graph.op("Min", sum, graph.scalar(700)))
    }

    // MARK: Terms

    private func reconstructionTerm(_ x: String, _ y: String, _ rule: ScoringRule) throws -> String {
        switch rule.kind {
        case .pixelMSE:
            return graph.toDouble(graph.meanPerSample(graph.square(graph.op("Sub", x, y))))
        case .smoothedMSE:
            let blurred = BlurGraph(graph: graph).blur(channelsFirst(graph.op("Sub", x, y)), sigma: rule.sigma, height: height, width: width)
            let error = graph.toDouble(graph.meanPerSample(graph.square(blurred)))
            return normaliser(x, rule).map { graph.op("Div", error, $0) } ?? error
        case .mapMax:
            let squared = graph.square(image(graph.op("Sub", x, y)))
            let map = graph.op("ReduceMean", squared, attributes: [Attribute.ints("axes", [3]), Attribute.int("keepdims", 1)])
            let blurred = BlurGraph(graph: graph).blur(graph.toChannelsFirst(map), sigma: rule.sigma, height: height, width: width)
            return graph.toDouble(graph.op("ReduceMax", graph.flattenItems(blurred),
                                            attributes: [Attribute.ints("axes", [1]), Attribute.int("keepdims", 0)]))
        case .zmap:
            let rarity = channels == 3 && !rule.colourCounts.isEmpty ? ColourPrior(counts: rule.colourCounts).rarity : nil
            return ZMapGraph(graph: graph, height: height, width: width, channels: channels, rarity: rarity)
                .score(image(x), image(y), statistics: rule.statistics)
        }
    }

    /// ink^p · detail^g, each floored as `ScoringRule.normaliser` does; nil when both exponents are 0.
    private func normaliser(_ x: String, _ rule: ScoringRule) -> String? {
        var parts: [String] = []
        if rule.inkPower != 0 { parts.append(floored(graph.toDouble(graph.meanPerSample(graph.square(x))), power: rule.inkPower)) }
        if rule.detailPower != 0 { parts.append(floored(detail(x), power: rule.detailPower)) }
        guard let first = parts.first else { return nil }
        return parts.dropFirst().reduce(first) { graph.op("Mul", $0, $1) }
    }

    private func floored(_ v: String, power: Double) -> String {
        graph.op("Pow", graph.op("Max", v, graph.scalar(energyFloor)), graph.scalar(power))
    }

    /// `ScoringRule.energyFloor`.
    private let energyFloor = 1e-4

    /// Squared differences between horizontal and vertical neighbours, summed, over the value count.
    private func detail(_ x: String) -> String {
        let v = image(x)
        let across = graph.op("Sub", graph.slice(v, axis: 2, 1..<width), graph.slice(v, axis: 2, 0..<(width - 1)))
        let down = graph.op("Sub", graph.slice(v, axis: 1, 1..<height), graph.slice(v, axis: 1, 0..<(height - 1)))
        let total = graph.op("Add", graph.toDouble(graph.sumPerSample(graph.square(across))),
                             graph.toDouble(graph.sumPerSample(graph.square(down))))
        return graph.op("Div", total, graph.scalar(Double(height * width * channels)))
    }

    /// Mean of 1 − SSIM (`StructuralDissimilarity`): the five blurred planes in one depthwise blur.
    private func structureTerm(_ x: String, _ y: String, sigma: Double) -> String {
        let a = channelsFirst(x), b = channelsFirst(y)
        let planes = graph.op("Concat", a, b, graph.op("Mul", a, a), graph.op("Mul", b, b), graph.op("Mul", a, b),
                              attributes: [Attribute.int("axis", 1)])
        let blurred = BlurGraph(graph: graph).blur(planes, sigma: sigma, height: height, width: width)
        let split = graph.node("Split", [blurred, graph.int64s([Int](repeating: channels, count: 5))], outputs: 5,
                               [Attribute.int("axis", 1)])
        let (mx, my, sxx, syy, sxy) = (split[0], split[1], split[2], split[3], split[4])
        let mxx = graph.op("Mul", mx, mx), myy = graph.op("Mul", my, my), mxy = graph.op("Mul", mx, my)
        let c1 = graph.floats([0.01 * 0.01], shape: [], hint: "c1"), c2 = graph.floats([0.03 * 0.03], shape: [], hint: "c2")
        let two = graph.floats([2], shape: [], hint: "two")
        let covariance = graph.op("Sub", sxy, mxy)
        let variances = graph.op("Add", graph.op("Sub", sxx, mxx), graph.op("Sub", syy, myy))
        let numerator = graph.op("Mul", graph.op("Add", graph.op("Mul", graph.op("Mul", two, mx), my), c1),
                                 graph.op("Add", graph.op("Mul", two, covariance), c2))
        let denominator = graph.op("Mul", graph.op("Add", graph.op("Add", mxx, myy), c1), graph.op("Add", variances, c2))
        let ssim = graph.op("Div", numerator, denominator)
        let one = graph.floats([1], shape: [], hint: "one")
        return graph.op("ReduceMean", graph.flattenItems(graph.toDouble(graph.op("Sub", one, ssim))),
                        attributes: [Attribute.ints("axes", [1]), Attribute.int("keepdims", 0)])
    }

    /// Squared Mahalanobis distance Σᵢ ((z − μ)·vᵢ)² / λᵢ of the code, in float64 as aedetect.
    private func latentTerm(_ code: String, _ latent: LatentGaussian) -> String {
        let d = latent.dimension
        var axesT = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { axesT[j * d + i] = latent.axes[i * d + j] } }
        let centred = graph.op("Sub", graph.toDouble(graph.flattenItems(code)), graph.doubles(latent.mean, shape: [d], hint: "latent_mean"))
        let projected = graph.op("MatMul", centred, graph.doubles(axesT, shape: [d, d], hint: "latent_axes"))
        let scaled = graph.op("Div", graph.square(projected), graph.doubles(latent.variances, shape: [d], hint: "latent_variances"))
        return graph.op("ReduceSum", scaled, graph.int64s([1]), attributes: [Attribute.int("keepdims", 0)])
    }

    /// (log max(v, 10⁻¹²) − mean) / std (`LogMoments.z`).
    private func z(_ v: String, _ m: LogMoments) -> String {
        let logged = graph.op("Log", graph.op("Max", v, graph.scalar(1e-12)))
        return graph.op("Div", graph.op("Sub", logged, graph.scalar(m.mean)), graph.scalar(m.std))
    }

    // MARK: Layout

    /// A model-shaped value as [N, H, W, C].
    private func image(_ v: String) -> String { graph.reshape(v, toItemShape: [height, width, channels]) }

    private func channelsFirst(_ v: String) -> String { graph.toChannelsFirst(image(v)) }
}
