import DataIO
import Foundation

/// The inputs of a run, as one ordered list of items: every image file (PNG or JPEG) under each
/// folder (in the folder walk's stable order), single image files, and every image of each IDX file.
/// Files a folder walk could not use are items too (they become error records), so
/// every input is accounted for. The order is the order of the arguments, then the walk.
public struct InputSet {
    /// An input, as indices into the set's tables (a run may list hundreds of thousands).
    public enum Item: Sendable {
        /// An image file (PNG or JPEG): its path in `paths`, its label in `labelNames` (−1: none).
        case image(path: Int32, label: Int32)
        case idx(source: Int32, index: Int32)
        /// Found but unusable before decoding (not a PNG or JPEG, a link loop, ...): `unusable[entry]`.
        case unusable(entry: Int32)
    }

    public private(set) var items: [Item] = []
    private var paths = PathTable()
    private var labelNames: [String] = []
    private var unusable: [(path: String, reason: String)] = []
    /// IDX files, loaded once: images, labels, display path.
    private var idx: [(data: Dataset, path: String)] = []

    /// - Parameters:
    ///   - paths: folders, image files (`.png`, `.jpg`, `.jpeg`) or IDX files (gzipped or not).
    ///   - labelsFile: IDX labels for a single IDX input.
    ///   - labelsFromSubfolders: folder inputs get labels from their first-level sub-folder names.
    public init(paths: [String], labelsFile: String? = nil, labelsFromSubfolders: Bool = false) throws {
        guard !paths.isEmpty else { throw DetectorError.input("no inputs given") }
        if labelsFile != nil, paths.count != 1 {
            throw DetectorError.input("--labels goes with exactly one IDX input")
        }
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw DetectorError.input("\(path): no such file or folder")
            }
            if isDir.boolValue {
                try addFolder(path, labels: labelsFromSubfolders)
            } else if ImageFolder.isImageName(path) {
                items.append(.image(path: self.paths.append(path), label: -1))
            } else {
                let data = try Dataset.loadIDX(images: path, labels: labelsFile)
                idx.append((data, path))
                let source = Int32(idx.count - 1)
                items += (0..<data.count).map { .idx(source: source, index: Int32($0)) }
            }
        }
    }

    private mutating func addFolder(_ root: String, labels: Bool) throws {
        let folder = try ImageFolder(root: root, labelsFromSubfolders: labels)
        let numeric = folder.labelNames.allSatisfy { Int($0) != nil }
        // ImageFolder's label is the number itself when every sub-folder name is one, else an index.
        var interned: [Int: Int32] = [:]
        func labelIndex(_ l: Int?) -> Int32 {
            guard let l else { return -1 }
            if let known = interned[l] { return known }
            let index = Int32(labelNames.count)
            labelNames.append(numeric ? String(l) : folder.labelNames[l])
            interned[l] = index
            return index
        }
        var files: [(path: String, item: Item)] = []
        files.reserveCapacity(folder.files.count)
        for f in folder.files {
            files.append((f.path, .image(path: paths.append(f.path), label: labelIndex(f.label))))
        }
        var skipped: [(path: String, item: Item)] = []
        for s in folder.skipped {
            skipped.append((s.path, .unusable(entry: Int32(unusable.count))))
            unusable.append((s.path, s.reason))
        }
        items += InputSet.merged(files, skipped)
    }

    /// The two lists of one folder walk, each already in walk order, as one list in walk order:
    /// a merge, not a sort (sorting by `walkOrder` took longer than the walk itself for 10,000 files).
    static func merged<T>(_ a: [(path: String, item: T)], _ b: [(path: String, item: T)]) -> [T] {
        guard !b.isEmpty else { return a.map(\.item) }
        var out: [T] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && !walkOrder(b[j].path, a[i].path)) {
                out.append(a[i].item); i += 1
            } else {
                out.append(b[j].item); j += 1
            }
        }
        return out
    }

    /// Depth-first, names sorted: compare path components, not whole strings ("a/b" < "a.png").
    static func walkOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "/"), y = b.split(separator: "/")
        for (p, q) in zip(x, y) where p != q { return p < q }
        return x.count < y.count
    }

    public var count: Int { items.count }

    /// The same inputs restricted to `positions` (ascending), e.g. one shard's slice.
    public func restricted(to positions: [Int]) -> InputSet {
        var copy = self
        copy.items = positions.map { items[$0] }
        return copy
    }

    /// Display path of an item: the file, or "file#index" for an image of an IDX file.
    public func path(of item: Item) -> String {
        switch item {
        case let .image(p, _): return paths[p]
        case let .unusable(e): return unusable[Int(e)].path
        case let .idx(s, i): return "\(idx[Int(s)].path)#\(i)"
        }
    }

    /// An item's size and colour, from its file header (nil when the header cannot be read).
    public func header(of item: Item) -> ImageHeader? {
        switch item {
        case let .image(p, _): return ImageHeader.read(path: paths[p])
        case let .idx(s, _):
            let data = idx[Int(s)].data
            return ImageHeader(width: data.width, height: data.height, isColour: data.channels == 3)
        case .unusable: return nil
        }
    }

    public func label(of item: Item) -> String? {
        switch item {
        case let .image(_, l): return l < 0 ? nil : labelNames[Int(l)]
        case let .idx(s, i): return idx[Int(s)].data.labels.map { String($0[Int(i)]) }
        case .unusable: return nil
        }
    }

    /// Decodes `items[range]` into one batch: images of the ones that loaded, in order,
    /// and (position, reason) for the ones that did not. Image files decode on `threads`
    /// threads (default: every core).
    public typealias Batch = (images: [Float], loaded: [Int], failed: [(Int, String)])

    public func load(_ range: Range<Int>, options: ImageLoadOptions, threads: Int = ProcessInfoCores.count) -> Batch {
        let size = options.imageSize
        var images: [Float] = []
        var loaded: [Int] = [], failed: [(Int, String)] = []
        var files: [(position: Int, file: ImageFile)] = []
        func flushFiles() {
            guard !files.isEmpty else { return }
            let batch = ImageBatchStream.decode(files.map(\.file), options: options, workers: threads)
            if images.isEmpty && batch.errors.isEmpty {  // the usual case: take the batch's array, no copy
                images = batch.images
                loaded += files.map(\.position)
                files.removeAll()
                return
            }
            images.reserveCapacity(range.count * size)
            let byPath = Dictionary(batch.errors.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
            var k = 0
            for p in files {
                if let reason = byPath[p.file.path] { failed.append((p.position, reason)); continue }
                images += batch.images[(k * size)..<((k + 1) * size)]
                loaded.append(p.position)
                k += 1
            }
            files.removeAll()
        }
        for position in range {
            switch items[position] {
            case let .image(p, _):
                files.append((position, ImageFile(path: paths[p], label: nil)))
            case let .idx(s, i):
                flushFiles()
                let data = idx[Int(s)].data
                guard data.height == options.height, data.width == options.width, data.channels == options.channels else {
                    failed.append((position, "images are \(data.height)×\(data.width)×\(data.channels), the model takes \(options.height)×\(options.width)×\(options.channels)"))
                    continue
                }
                let img = data.image(Int(i))
                images.reserveCapacity(range.count * size)
                if options.invert { images += img.map { 1 - $0 } } else { images += img }
                loaded.append(position)
            case let .unusable(e):
                flushFiles()
                failed.append((position, unusable[Int(e)].reason))
            }
        }
        flushFiles()  // pending files are flushed before any other item, so images stay in item order
        return (images, loaded, failed)
    }
}
