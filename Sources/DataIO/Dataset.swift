/// Images as Float32 [count, height, width, channels] (row-major, NHWC) in [0, 1], with optional integer labels.
public struct Dataset {
    public var images: [Float]
    public let count: Int
    public let height: Int
    public let width: Int
    public let channels: Int
    public var labels: [Int]?

    public var shape: [Int] { [count, height, width, channels] }
    public var imageSize: Int { height * width * channels }

    public init(images: [Float], count: Int, height: Int, width: Int, channels: Int, labels: [Int]? = nil) {
        precondition(images.count == count * height * width * channels, "Dataset: \(images.count) floats for \(count)×\(height)×\(width)×\(channels)")
        precondition(labels == nil || labels!.count == count, "Dataset: \(labels!.count) labels for \(count) images")
        self.images = images
        self.count = count
        self.height = height
        self.width = width
        self.channels = channels
        self.labels = labels
    }

    /// Loads an IDX images file ([N, H, W] or [N, H, W, C]) and, optionally, its IDX labels file ([N], integer type).
    public static func loadIDX(images imagesPath: String, labels labelsPath: String? = nil,
                               limit: Int = IDX.defaultSizeLimit) throws -> Dataset {
        let array = try IDX.read(path: imagesPath, limit: limit)
        let s = array.shape
        guard s.count == 3 || s.count == 4 else { throw DataIOError.idxNotImages(file: imagesPath, shape: s) }
        let labels = try labelsPath.map { try loadLabels(path: $0) }
        if let labels, labels.count != s[0] {
            throw DataIOError.labelCountMismatch(images: imagesPath, imageCount: s[0], labels: labelsPath!, labelCount: labels.count)
        }
        return Dataset(images: array.unitFloats(), count: s[0], height: s[1], width: s[2],
                       channels: s.count == 4 ? s[3] : 1, labels: labels)
    }

    /// Loads an IDX labels file: one dimension, an integer element type.
    public static func loadLabels(path: String) throws -> [Int] {
        let array = try IDX.read(path: path)
        guard array.shape.count == 1 else {
            throw DataIOError.idxNotLabels(file: path, detail: "shape \(array.shape) has \(array.shape.count) dimensions, expected 1")
        }
        guard array.type.isInteger else {
            throw DataIOError.idxNotLabels(file: path, detail: "element type \(array.type) is not an integer type")
        }
        return array.values.map { Int($0) }
    }

    /// One image's floats, [H, W, C].
    public func image(_ i: Int) -> ArraySlice<Float> { images[(i * imageSize)..<((i + 1) * imageSize)] }
}

extension Dataset {
    /// Loads every image (PNG or JPEG) under a folder into memory (for `convert` and small sets; stream large folders with
    /// `ImageBatchStream`). Returns the images that loaded and one record per file that did not.
    public static func loadFolder(_ folder: ImageFolder, options: ImageLoadOptions,
                                  batchSize: Int = 512) -> (dataset: Dataset, paths: [String], errors: [FileError]) {
        var images: [Float] = [], labels: [Int] = [], paths: [String] = []
        var errors = folder.skipped
        var allLabelled = true
        for batch in ImageBatchStream(folder: folder, options: options, batchSize: batchSize) {
            images += batch.images
            paths += batch.paths
            for label in batch.labels {
                if let label { labels.append(label) } else { allLabelled = false }
            }
            errors += batch.errors
        }
        let hasLabels = !folder.labelNames.isEmpty && allLabelled
        let dataset = Dataset(images: images, count: paths.count, height: options.height, width: options.width,
                              channels: options.channels, labels: hasLabels ? labels : nil)
        return (dataset, paths, errors)
    }
}
