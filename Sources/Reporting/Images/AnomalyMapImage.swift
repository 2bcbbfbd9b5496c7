/// Pictures of one example's anomaly map on a run's `MapScale`: the map alone as an inferno
/// heatmap, and the input with the heatmap blended over it, opaque in proportion to how high the
/// map is (so normal regions show the input unchanged). Pixels are enlarged by the grids' whole
/// factor (`ReconstructionGrid.defaultScale`), nearest neighbour.
public enum AnomalyMapImage {
    /// The heat's opacity at the top of the scale; below 1 so the input stays visible under it.
    static let strongestAlpha = 0.75

    public static func heatmap(_ e: RunReport.Example, map: [Float], scale: MapScale) -> RGBImage {
        draw(e, map: map, scale: scale) { _, t in ColourMap.colour(t) }
    }

    public static func overlay(_ e: RunReport.Example, map: [Float], scale: MapScale) -> RGBImage {
        let c = max(e.channels, 1)
        return draw(e, map: map, scale: scale) { p, t in
            let heat = ColourMap.colour(t), under = inputColour(e, at: p, channels: c)
            let a = strongestAlpha * t
            func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) * (1 - a) + Double(y) * a).rounded()) }
            return (mix(under.r, heat.r), mix(under.g, heat.g), mix(under.b, heat.b))
        }
    }

    /// The heatmap of a map of `height × width` values, scaled up like the example's grid.
    static func draw(_ e: RunReport.Example, map: [Float], scale: MapScale,
                     colour: (_ pixel: Int, _ fraction: Double) -> RGBImage.Colour) -> RGBImage {
        precondition(map.count == e.height * e.width, "example \(e.path): a map of \(map.count) values for \(e.height)×\(e.width)")
        let s = ReconstructionGrid.defaultScale(height: e.height, width: e.width)
        var image = RGBImage(width: e.width * s, height: e.height * s)
        for y in 0..<e.height {
            for x in 0..<e.width {
                let p = y * e.width + x
                image.fill(x: x * s, y: y * s, width: s, height: s, colour(p, scale.fraction(map[p])))
            }
        }
        return image
    }

    static func inputColour(_ e: RunReport.Example, at p: Int, channels c: Int) -> RGBImage.Colour {
        func byte(_ v: Float) -> UInt8 { UInt8((min(max(v.isNaN ? 0 : v, 0), 1) * 255).rounded()) }
        if c >= 3 { return (byte(e.input[p * c]), byte(e.input[p * c + 1]), byte(e.input[p * c + 2])) }
        let g = byte(e.input[p * c])
        return (g, g, g)
    }
}
