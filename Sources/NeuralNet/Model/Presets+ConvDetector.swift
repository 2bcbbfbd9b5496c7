extension Presets {
    /// The default detector for images that are not 28×28 grayscale: a convolutional
    /// autoencoder over square tiles of `tile` pixels (16, 32 or 64) and `channels` channels.
    /// Its depth follows the tile: 3×3 stride-2 convolutions (16, 32, 32 filters) halve it down
    /// to 8×8, then a 1×1 convolution narrows the code to 8 channels; 3×3 stride-2 transposed
    /// convolutions of 32 filters go back up, the last one with a sigmoid giving the channels in
    /// [0, 1]. For the default 32×32×3 tiles: 8,555 parameters and about 1.6 MFLOP per tile
    /// (64-pixel tiles, 27,051 parameters, remain for models that were saved with them).
    public static func convDetector(tile: Int, channels: Int) -> Architecture {
        precondition([16, 32, 64].contains(tile), "tiles are 16, 32 or 64 pixels")
        let depth = tile == 64 ? 3 : tile == 32 ? 2 : 1
        let widths = Array([16, 32, 32].prefix(depth))
        let encoder = widths.map { LayerSpec.conv2D(filters: $0, kernel: [3, 3], strides: [2, 2], padding: .same, activation: .relu) }
            + [.conv2D(filters: convDetectorCode, kernel: [1, 1], strides: [1, 1], padding: .same, activation: .relu)]
        // Back up with the deeper widths (32 each); the last step gives the image's channels directly.
        let decoder = (widths.dropFirst().reversed() + [channels]).enumerated().map { i, f in
            LayerSpec.conv2DTranspose(filters: f, kernel: [3, 3], strides: [2, 2], padding: .same,
                                      activation: i == depth - 1 ? .sigmoid : .relu)
        }
        return Architecture(name: "conv-detector", inputShape: [tile, tile, channels], layers: encoder + decoder,
                            loss: .meanSquaredError, learningRate: 0.001, batchSize: 32, encoderLayer: depth)
    }

    /// Channels of the conv detector's 8×8 code.
    static let convDetectorCode = 8

    /// The conv detector's tile for an image of `height` × `width`: 32 pixels, or 16 for a smaller
    /// image; nil when the image is smaller than 16 pixels on a side. 32-pixel tiles scored higher
    /// than 64-pixel ones on the validation splits at both 64×64 and 256×256 (reports/quality.md).
    public static func convDetectorTile(height: Int, width: Int) -> Int? {
        [32, 16].first { $0 <= min(height, width) }
    }
}
