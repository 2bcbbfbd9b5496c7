import DataIO
import Foundation

/// An 8-bit RGB raster, row-major, for the reconstruction grids.
public struct RGBImage: Equatable {
    public typealias Colour = (r: UInt8, g: UInt8, b: UInt8)

    public let width: Int
    public let height: Int
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Colour = (255, 255, 255)) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, background)
    }

    public func pixel(x: Int, y: Int) -> [UInt8] {
        let i = (y * width + x) * 3
        return Array(pixels[i..<i + 3])
    }

    public mutating func set(x: Int, y: Int, _ colour: Colour) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = colour.r; pixels[i + 1] = colour.g; pixels[i + 2] = colour.b
    }

    /// Fills the rectangle, clipped to the image.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: Colour) {
        for row in max(y, 0)..<min(y + h, height) {
            for column in max(x, 0)..<min(x + w, width) { set(x: column, y: row, colour) }
        }
    }

    /// Draws `text` with its top-left corner at (x, y) in the 5×7 bitmap font; clipped to the image.
    public mutating func draw(_ text: String, x: Int, y: Int, colour: Colour = (0, 0, 0)) {
        for (i, character) in text.enumerated() {
            let left = x + i * BitmapFont.advance
            for column in 0..<BitmapFont.glyphWidth {
                for row in 0..<BitmapFont.glyphHeight where BitmapFont.isInk(character, column: column, row: row) {
                    set(x: left + column, y: y + row, colour)
                }
            }
        }
    }

    /// The image encoded as an RGB PNG, for speed over size (`PNG.encode`).
    public func png() throws -> Data {
        let buffer = try PNG.encode(pixels, width: width, height: height, channels: 3, fast: true)
        return Data(buffer.bytes)
    }

    public static func == (a: RGBImage, b: RGBImage) -> Bool {
        a.width == b.width && a.height == b.height && a.pixels == b.pixels
    }
}
