import AnomalyDetection

/// A tiled model's cutting and stitching (`TileGrid`, `TileStitcher`): the image's tiles go
/// through the network as one batch of N·K tiles, and each reconstructed tile, times its tent
/// weights, is added into the image in the order aedetect adds them, then divided by the
/// weight totals, so the stitched image is aedetect's to the bit.
struct TileGraph {
    let graph: GraphBuilder
    let grid: TileGrid

    private var origins: [(top: Int, left: Int)] { grid.tops.flatMap { top in grid.lefts.map { (top, $0) } } }

    /// [N, H, W, C] → [N·K, tile, tile, C], each image's K tiles together, row by row.
    func cut(_ image: String) -> String {
        let t = grid.tile
        let tiles = origins.map { o in
            let piece = graph.op("Slice", image, graph.int64s([o.top, o.left]), graph.int64s([o.top + t, o.left + t]), graph.int64s([1, 2]))
            return graph.op("Unsqueeze", piece, graph.int64s([1]))
        }
        let stacked = tiles.count == 1 ? tiles[0] : graph.node("Concat", tiles, [Attribute.int("axis", 1)])[0]
        return graph.reshape(stacked, toItemShape: [t, t, grid.channels])
    }

    /// [N·K, tile, tile, C] → [N, H, W, C].
    func stitch(_ tiles: String) -> String {
        let t = grid.tile, k = grid.count
        let perImage = graph.reshape(tiles, toItemShape: [k, t, t, grid.channels])
        let weights = graph.floats(Self.tentWeights(t), shape: [t, t, 1], hint: "tent")
        var sum: String?
        for (i, o) in origins.enumerated() {
            let tile = graph.op("Squeeze", graph.slice(perImage, axis: 1, i..<(i + 1)), graph.int64s([1]))
            let pads = [0, o.top, o.left, 0, 0, grid.height - o.top - t, grid.width - o.left - t, 0]
            let placed = graph.op("Pad", graph.op("Mul", tile, weights), graph.int64s(pads))
            sum = sum.map { graph.op("Add", $0, placed) } ?? placed
        }
        return graph.op("Div", sum!, graph.floats(Self.weightTotals(grid), shape: [grid.height, grid.width, 1], hint: "tent_total"))
    }

    /// min(i + 1, tile − i) along each axis, multiplied.
    static func tentWeights(_ tile: Int) -> [Float] {
        let w = (0..<tile).map { Float(min($0 + 1, tile - $0)) }
        return w.flatMap { a in w.map { a * $0 } }
    }

    /// The sum of the tiles' weights at each pixel (small integers: exact in any order).
    static func weightTotals(_ grid: TileGrid) -> [Float] {
        let w = tentWeights(grid.tile), t = grid.tile
        var total = [Float](repeating: 0, count: grid.height * grid.width)
        for top in grid.tops { for left in grid.lefts {
            for y in 0..<t { for x in 0..<t { total[(top + y) * grid.width + left + x] += w[y * t + x] } }
        } }
        return total
    }
}
