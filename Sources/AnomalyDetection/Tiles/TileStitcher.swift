/// Stitches tiles back into images of one `TileGrid`: each pixel is the tent-weighted mean of
/// the tiles that cover it (weight min(i + 1, tile − i) along each axis, highest at a tile's
/// centre). The per-pixel weight totals are the same for every image, so they are summed once.
struct TileStitcher {
    let grid: TileGrid
    private let weight: [Float]
    private let total: [Float]
    /// True when every pixel lies in exactly one tile (tiles side by side, the image a whole
    /// number of tiles): stitching is then a copy, and its mean exactly the tile's value.
    private let disjoint: Bool

    init(_ grid: TileGrid) {
        self.grid = grid
        let tile = grid.tile
        weight = (0..<tile).map { Float(min($0 + 1, tile - $0)) }
        var total = [Float](repeating: 0, count: grid.height * grid.width)
        for top in grid.tops { for left in grid.lefts {
            for y in 0..<tile { for x in 0..<tile { total[(top + y) * grid.width + left + x] += weight[y] * weight[x] } }
        } }
        self.total = total
        disjoint = grid.stride == tile && grid.height % tile == 0 && grid.width % tile == 0
    }

    /// The image made of `grid.count` tiles laid out as `TileGrid.cut` lays them out.
    func stitch(_ tiles: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        let (tile, width, channels) = (grid.tile, grid.width, grid.channels)
        if disjoint { return copy(tiles, into: image) }
        image.update(repeating: 0, count: grid.imageSize)
        weight.withUnsafeBufferPointer { weight in
            var k = 0
            for top in grid.tops { for left in grid.lefts {
                let t = tiles + k * grid.tileSize
                for y in 0..<tile {
                    let row = image + ((top + y) * width + left) * channels, source = t + y * tile * channels
                    for x in 0..<tile {
                        let w = weight[y] * weight[x]
                        for c in 0..<channels { row[x * channels + c] += w * source[x * channels + c] }
                    }
                }
                k += 1
            } }
        }
        total.withUnsafeBufferPointer { total in
            for p in 0..<(grid.height * grid.width) { for c in 0..<channels { image[p * channels + c] /= total[p] } }
        }
    }

    private func copy(_ tiles: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        let row = grid.tile * grid.channels
        var k = 0
        for top in grid.tops { for left in grid.lefts {
            let t = tiles + k * grid.tileSize
            for y in 0..<grid.tile { (image + ((top + y) * grid.width + left) * grid.channels).update(from: t + y * row, count: row) }
            k += 1
        } }
    }
}
