import DataIO
import Foundation

/// Ground-truth masks in a folder tree that mirrors the inputs' tree.
///
/// The mask of the image at relative path `d/name.ext` is the first regular file of `d/name.ext`,
/// `d/name.png` and `d/name_mask.png` (MVTec AD's naming) under the root. A non-zero value marks a
/// defect pixel; an image without a mask file is defect-free.
public struct MaskFolder: Sendable {
    public let root: String

    /// Throws when `root` is not a folder: a mistyped root would make every image defect-free.
    public init(root: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataIOError.notAFolder(path: root)
        }
        self.root = root
    }

    /// The mask file of an image, if there is one.
    public func file(for relativePath: String) -> String? {
        let image = relativePath as NSString
        let folder = (root as NSString).appendingPathComponent(image.deletingLastPathComponent)
        let name = image.lastPathComponent, stem = (image.lastPathComponent as NSString).deletingPathExtension
        return [name, stem + ".png", stem + "_mask.png"]
            .map { (folder as NSString).appendingPathComponent($0) }
            .first(where: MaskFolder.isRegularFile)
    }

    /// The mask of an image as height × width booleans, resized by nearest neighbour when its size
    /// differs; all false when there is no mask file. Throws, naming the file, when it cannot be read.
    public func mask(for relativePath: String, height: Int, width: Int) throws -> [Bool] {
        guard let path = file(for: relativePath) else { return [Bool](repeating: false, count: height * width) }
        let png = try PNG.read(path: path, channels: 1)
        let mask = png.values.map { $0 > 0 }
        return MaskFolder.nearest(mask, height: png.height, width: png.width, toHeight: height, toWidth: width)
    }

    /// Output pixel centre (y + ½)·H/h falls in input row ⌊(2y + 1)·H / 2h⌋; columns alike.
    static func nearest(_ mask: [Bool], height: Int, width: Int, toHeight: Int, toWidth: Int) -> [Bool] {
        if height == toHeight && width == toWidth { return mask }
        let columns = (0..<toWidth).map { (2 * $0 + 1) * width / (2 * toWidth) }
        var out: [Bool] = []
        out.reserveCapacity(toHeight * toWidth)
        for y in 0..<toHeight {
            let row = (2 * y + 1) * height / (2 * toHeight) * width
            out += columns.lazy.map { mask[row + $0] }
        }
        return out
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
