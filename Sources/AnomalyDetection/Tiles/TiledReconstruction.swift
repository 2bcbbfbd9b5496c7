import NeuralNet

/// Reconstructions of whole images by a model that takes tiles: each image is cut by its
/// `TileGrid`, the tiles of several images go through the model together, and each image's
/// reconstructed tiles are stitched back.
enum TiledReconstruction {
    /// Tiles per forward pass, at most.
    static let tilesPerPass = 64
    /// Tiles cut and stitched per call of the model: with 32×32×3 tiles, its two buffers stay
    /// under glibc's mmap threshold (`MemoryPolicy`), so they come from the heap, not fresh pages.
    static let tilesPerCall = 64

    /// Pixel MSE of each of `count` images; their stitched reconstructions go to `reconstructions`.
    /// The images are split between the model's threads, each range through its own replica of
    /// the model (layers keep per-call buffers); a tile's output does not depend on its pass,
    /// so neither do the results.
    static func perSample(_ model: Sequential, _ images: UnsafePointer<Float>, count: Int, grid: TileGrid,
                          tilesPerPass: Int, reconstructions: UnsafeMutablePointer<Float>) -> [Double] {
        let threads = Parallelism(parts: min(model.parallelism.parts, count))
        let models = threads.parts == 1 ? [model] : model.inferenceReplicas(threads.parts)
        return [Double](unsafeUninitializedCapacity: count) { errors, initialised in
            let stitcher = TileStitcher(grid), out = errors.baseAddress!
            let work = { (range: Range<Int>, part: Int) in
                reconstruct(models[part], images, range, grid: grid, stitcher: stitcher, tilesPerPass: tilesPerPass,
                            reconstructions: reconstructions, errors: out)
            }
            threads.split(count, work)
            initialised = count
        }
    }

    /// Cuts, reconstructs and stitches `images[range]`, several images per call of the model.
    private static func reconstruct(_ model: Sequential, _ images: UnsafePointer<Float>, _ range: Range<Int>, grid: TileGrid,
                                    stitcher: TileStitcher, tilesPerPass: Int, reconstructions: UnsafeMutablePointer<Float>,
                                    errors: UnsafeMutablePointer<Double>) {
        let item = grid.imageSize, perImage = grid.count
        let imagesPerCall = max(1, tilesPerCall / perImage)
        let capacity = min(range.count, imagesPerCall) * perImage * grid.tileSize
        let tiles = UnsafeMutablePointer<Float>.allocate(capacity: capacity), outputs = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        defer { tiles.deallocate(); outputs.deallocate() }
        var start = range.lowerBound
        while start < range.upperBound {
            let m = min(imagesPerCall, range.upperBound - start)
            for i in 0..<m { grid.cut(images + (start + i) * item, into: tiles + i * perImage * grid.tileSize) }
            _ = ReconstructionError.perSample(model, tiles, count: m * perImage, batchSize: tilesPerPass, reconstructions: outputs)
            for i in 0..<m {
                let recon = reconstructions + (start + i) * item
                stitcher.stitch(outputs + i * perImage * grid.tileSize, into: recon)
                errors[start + i] = ScoringRule.meanSquare(images + (start + i) * item, minus: recon, count: item)
            }
            start += m
        }
    }
}

extension ReconstructionError {
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
