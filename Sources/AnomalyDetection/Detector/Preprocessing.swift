import DataIO
import NeuralNet

/// How an image becomes a model input. Pixels are scaled to [0, 1] (by the loaders),
/// optionally inverted, then laid out as the model's input shape: (H, W, C) images
/// for conv presets, (H, W) as H steps of W features for `lstm`, H·W·C values for `dense`.
public struct Preprocessing: Codable, Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var channels: Int
    public var invert: Bool
    public var resize: Bool
    /// Side and step of the square tiles the model sees when it does not take whole images
    /// (`TileGrid`); nil when the model's input is the whole image.
    public var tile: Int?
    public var tileStride: Int?

    public init(height: Int, width: Int, channels: Int, invert: Bool = false, resize: Bool = false,
                tile: Int? = nil, tileStride: Int? = nil) {
        self.height = height; self.width = width; self.channels = channels
        self.invert = invert; self.resize = resize
        self.tile = tile; self.tileStride = tile.map { tileStride ?? $0 }
    }

    enum CodingKeys: String, CodingKey {
        case height, width, channels, invert, resize, tile, tileStride = "tile_stride"
    }

    /// The tiles an image is cut into, when the model takes tiles.
    public var grid: TileGrid? {
        tile.map { TileGrid(height: height, width: width, channels: channels, tile: $0, stride: tileStride ?? $0) }
    }

    /// The image geometry an architecture implies; a flat input must be a square grayscale image.
    public init(for architecture: Architecture, invert: Bool = false, resize: Bool = false) throws {
        let s = architecture.inputShape
        switch s.count {
        case 3: self.init(height: s[0], width: s[1], channels: s[2], invert: invert, resize: resize)
        case 2: self.init(height: s[0], width: s[1], channels: 1, invert: invert, resize: resize)
        default:
            let side = Int(Double(s[0]).squareRoot().rounded())
            guard side * side == s[0] else {
                throw DetectorError.input("the model takes \(s[0]) values, which is not a square grayscale image")
            }
            self.init(height: side, width: side, channels: 1, invert: invert, resize: resize)
        }
    }

    public var imageSize: Int { height * width * channels }

    public var loadOptions: ImageLoadOptions {
        ImageLoadOptions(height: height, width: width, channels: channels, resize: resize, invert: invert)
    }

    /// Checks that a data set's images fit, or says what does not.
    public func check(_ data: Dataset, source: String) throws {
        guard data.height == height, data.width == width, data.channels == channels else {
            throw DetectorError.input("\(source): images are \(data.height)×\(data.width)×\(data.channels), the model takes \(height)×\(width)×\(channels)")
        }
    }
}
