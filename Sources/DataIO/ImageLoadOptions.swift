/// How image files become model inputs: the model's input size and channels, and the optional fixes.
public struct ImageLoadOptions: Sendable {
    public var height: Int
    public var width: Int
    public var channels: Int
    /// Resample images of another size (area when shrinking, bilinear when enlarging) instead of refusing them.
    public var resize: Bool
    /// 1 − value, for dark-on-light images such as scans (MNIST digits are light on dark).
    public var invert: Bool
    public var pixelLimit: Int

    public init(height: Int = 28, width: Int = 28, channels: Int = 1, resize: Bool = false, invert: Bool = false,
                pixelLimit: Int = PNG.defaultPixelLimit) {
        self.height = height
        self.width = width
        self.channels = channels
        self.resize = resize
        self.invert = invert
        self.pixelLimit = pixelLimit
    }

    public var imageSize: Int { height * width * channels }

    /// Reads one PNG or JPEG file (told apart by its first bytes) and writes its `imageSize` floats to `destination`.
    public func load(path: String, into destination: UnsafeMutablePointer<Float>) throws {
        let bytes = try ByteBuffer.read(path: path)
        var image = try ImageDecoder.decode(bytes.bytes, file: path, channels: channels, pixelLimit: pixelLimit)
        if image.width != width || image.height != height {
            guard resize else {
                throw DataIOError.imageSizeMismatch(file: path, width: image.width, height: image.height,
                                                    expectedWidth: width, expectedHeight: height)
            }
            image.values = Resample.resize(image.values, height: image.height, width: image.width, channels: channels,
                                           toHeight: height, toWidth: width)
        }
        image.values.withUnsafeBufferPointer { src in
            if invert {
                for i in 0..<imageSize { destination[i] = 1 - src[i] }
            } else {
                destination.update(from: src.baseAddress!, count: imageSize)
            }
        }
    }
}
