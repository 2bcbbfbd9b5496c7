import NeuralNet

/// Reconstructions of whole images by a model that takes tiles: each image is cut by its
/// `TileGrid`, the tiles of several images go through the model together, and each image's
/// reconstructed tiles are stitched back.
enum TiledReconstruction {
    /// Tiles per forward pass: every pass has exactly this many rows (see `ReconstructionError.perSample`).
    static let tilesPerPass = 64

    /// Pixel MSE of each of `count` images; their stitched reconstructions go to `reconstructions`.
    static func perSample(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, grid: TileGrid,
                          tilesPerPass: Int, reconstructions: UnsafeMutablePointer<Float>) -> [Double] {
        let item = grid.imageSize, perImage = grid.count
        let imagesPerPass = max(1, tilesPerPass / perImage)
        let tiles = UnsafeMutablePointer<Float>.allocate(capacity: min(count, imagesPerPass) * perImage * grid.tileSize)
        defer { tiles.deallocate() }
        var errors = [Double](repeating: 0, count: count)
        var start = 0
        while start < count {
            let m = min(imagesPerPass, count - start)
            for i in 0..<m { grid.cut(images + (start + i) * item, into: tiles + i * perImage * grid.tileSize) }
            let y = ReconstructionError.reconstruct(model, tiles, count: m * perImage, batchSize: tilesPerPass)
            y.withUnsafeBufferPointer { out in
                for i in 0..<m {
                    let recon = reconstructions + (start + i) * item
                    grid.stitch(out.baseAddress! + i * perImage * grid.tileSize, into: recon)
                    errors[start + i] = ScoringRule.meanSquare(images + (start + i) * item, minus: recon, count: item)
                }
            }
            start += m
        }
        return errors
    }
}

extension ReconstructionError {
    /// The model's outputs for `count` samples, in batches of `batchSize`.
    static func reconstruct(_ model: Sequential, _ samples: UnsafePointer<Float>, count: Int, batchSize: Int) -> [Float] {
        let item = Tensor.elementCount(model.inputShape)
        var out = [Float](repeating: 0, count: count * item)
        out.withUnsafeMutableBufferPointer { _ = perSample(model, samples, count: count, batchSize: batchSize, reconstructions: $0.baseAddress!) }
        return out
    }

    /// Pixel MSE of whole images through `model`, tile by tile when `preprocessing` says the
    /// model takes tiles; the (stitched) reconstructions are kept when asked for.
    static func ofImages(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, preprocessing: Preprocessing,
                         batchSize: Int, reconstructions: UnsafeMutablePointer<Float>? = nil,
                         codes: (layer: Int, size: Int, into: UnsafeMutablePointer<Float>)? = nil) -> [Double] {
        guard let grid = preprocessing.grid else {
            return perSample(model, images, count: count, batchSize: batchSize, reconstructions: reconstructions, codes: codes)
        }
        precondition(codes == nil, "a tiled model has no per-image code")
        let own = reconstructions == nil ? UnsafeMutablePointer<Float>.allocate(capacity: count * grid.imageSize) : nil
        defer { own?.deallocate() }
        return TiledReconstruction.perSample(model, images, count: count, grid: grid, tilesPerPass: TiledReconstruction.tilesPerPass,
                                             reconstructions: reconstructions ?? own!)
    }
}
