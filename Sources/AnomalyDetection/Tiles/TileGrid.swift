/// Square tiles laid over an image (height × width × channels, channels last) so that a model
/// with a small input sees every pixel at full resolution. Tiles start every `stride` pixels
/// and the last one on each axis is moved back to end at the border, so the grid covers the
/// image whatever its size. Stitching averages the tiles that cover a pixel with tent weights
/// (highest at a tile's centre), so seams between tiles do not show in the result.
public struct TileGrid: Equatable, Sendable {
    public let height: Int, width: Int, channels: Int
    public let tile: Int, stride: Int
    /// Top and left offsets of the tiles, row by row.
    public let tops: [Int], lefts: [Int]

    public init(height: Int, width: Int, channels: Int, tile: Int, stride: Int) {
        precondition(tile >= 1 && tile <= min(height, width) && stride >= 1, "tiles must fit the image")
        self.height = height; self.width = width; self.channels = channels
        self.tile = tile; self.stride = stride
        tops = Self.offsets(length: height, tile: tile, stride: stride)
        lefts = Self.offsets(length: width, tile: tile, stride: stride)
    }

    /// 0, stride, 2·stride, … while a tile fits, then length − tile if the border is not reached.
    static func offsets(length: Int, tile: Int, stride: Int) -> [Int] {
        var out = Array(Swift.stride(from: 0, through: length - tile, by: stride))
        if out.last! + tile < length { out.append(length - tile) }
        return out
    }

    public var count: Int { tops.count * lefts.count }
    public var tileSize: Int { tile * tile * channels }
    public var imageSize: Int { height * width * channels }

    /// Copies the `count` tiles of one image to `tiles`, back to back, row by row.
    public func cut(_ image: UnsafePointer<Float>, into tiles: UnsafeMutablePointer<Float>) {
        let row = tile * channels
        var k = 0
        for top in tops { for left in lefts {
            let out = tiles + k * tileSize
            for y in 0..<tile {
                (out + y * row).update(from: image + ((top + y) * width + left) * channels, count: row)
            }
            k += 1
        } }
    }

    /// Copies one tile, at (top, left), of `image` to `out`.
    public func cut(_ image: UnsafePointer<Float>, top: Int, left: Int, into out: UnsafeMutablePointer<Float>) {
        let row = tile * channels
        for y in 0..<tile { (out + y * row).update(from: image + ((top + y) * width + left) * channels, count: row) }
    }

    /// The image made of `count` tiles (as `cut` lays them out): each pixel is the tent-weighted
    /// mean of the tiles that cover it.
    public func stitch(_ tiles: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        TileStitcher(self).stitch(tiles, into: image)
    }
}
