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

    /// [N·K, tile, tile, C] → [N, H, W, C]. Tile rows are added one band (the tile's rows of the
    /// image) at a time: a tile, times its weights, is padded to the band's width only and added to
    /// the band, and the band is put back into the image between the rows above and below it. Each
    /// pixel still receives its tiles in aedetect's order (row by row, left to right), while the
    /// work grows with tiles × tile rows × width rather than tiles × image size (a 1024×1024 image
    /// has 1,024 tiles).
    func stitch(_ tiles: String) -> String {
        let t = grid.tile, k = grid.count
        let perImage = graph.reshape(tiles, toItemShape: [k, t, t, grid.channels])
        let weights = graph.floats(Self.tentWeights(t), shape: [t, t, 1], hint: "tent")
        var image: String?
        for (row, top) in grid.tops.enumerated() {
            var band = image.map { graph.slice($0, axis: 1, top..<(top + t)) }
            for (column, left) in grid.lefts.enumerated() {
                let index = row * grid.lefts.count + column
                let tile = graph.op("Squeeze", graph.slice(perImage, axis: 1, index..<(index + 1)), graph.int64s([1]))
                let pads = [0, 0, left, 0, 0, 0, grid.width - left - t, 0]
                let placed = graph.op("Pad", graph.op("Mul", tile, weights), graph.int64s(pads))
                band = band.map { graph.op("Add", $0, placed) } ?? placed
            }
            image = insert(band!, rows: top..<(top + t), into: image)
        }
        return graph.op("Div", image!, graph.floats(Self.weightTotals(grid), shape: [grid.height, grid.width, 1], hint: "tent_total"))
    }

    /// `image` with `rows` replaced by `band`; the band zero-padded to a whole image when there is none yet.
    private func insert(_ band: String, rows: Range<Int>, into image: String?) -> String {
        guard let image else {
            return graph.op("Pad", band, graph.int64s([0, rows.lowerBound, 0, 0, 0, grid.height - rows.upperBound, 0, 0]))
        }
        var pieces: [String] = []
        if rows.lowerBound > 0 { pieces.append(graph.slice(image, axis: 1, 0..<rows.lowerBound)) }
        pieces.append(band)
        if rows.upperBound < grid.height { pieces.append(graph.slice(image, axis: 1, rows.upperBound..<grid.height)) }
        return pieces.count == 1 ? pieces[0] : graph.node("Concat", pieces, [Attribute.int("axis", 1)])[0]
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
