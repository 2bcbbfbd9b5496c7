extension Presets {
    /// The default detector for images that are not 28×28 grayscale: a convolutional
    /// autoencoder over square tiles of `tile` pixels (16, 32 or 64) and `channels` channels.
    /// Its depth follows the tile: stride-2 convolutions halve it down to 8×8, then a 1×1
    /// convolution narrows the code; transposed convolutions mirror the way back and a last
    /// 3×3 convolution with a sigmoid gives the channels in [0, 1]. No dense layer, so every
    /// output pixel depends only on its neighbourhood, as a texture's defect does.
    public static func convDetector(tile: Int, channels: Int) -> Architecture {
        precondition([16, 32, 64].contains(tile), "tiles are 16, 32 or 64 pixels")
        let depth = tile == 64 ? 3 : tile == 32 ? 2 : 1
        let widths = Array([16, 32, 32].prefix(depth))
        func conv(_ f: Int, _ k: Int, _ s: Int, _ a: Activation) -> LayerSpec {
            .conv2D(filters: f, kernel: [k, k], strides: [s, s], padding: .same, activation: a)
        }
        func up(_ f: Int) -> LayerSpec {
            .conv2DTranspose(filters: f, kernel: [3, 3], strides: [2, 2], padding: .same, activation: .relu)
        }
        let encoder = widths.map { conv($0, 3, 2, .relu) } + [conv(convDetectorCode, 1, 1, .relu)]
        let decoder = widths.reversed().map(up) + [conv(channels, 3, 1, .sigmoid)]
        return Architecture(name: "conv-detector", inputShape: [tile, tile, channels], layers: encoder + decoder,
                            loss: .meanSquaredError, learningRate: 0.002, batchSize: 32, encoderLayer: depth)
    }

    /// Channels of the conv detector's 8×8 code.
    static let convDetectorCode = 8

    /// The conv detector's tile for an image of `height` × `width`: 64 pixels, or the largest of
    /// 32 and 16 that fits; nil when the image is smaller than 16 pixels on a side.
    public static func convDetectorTile(height: Int, width: Int) -> Int? {
        [64, 32, 16].first { $0 <= min(height, width) }
    }
}
