import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One batch from an `ImageBatchStream`: the images that loaded, in input order, and a record per file that did not.
public struct ImageBatch {
    /// Float32 [count, height, width, channels].
    public let images: [Float]
    public let paths: [String]
    public let labels: [Int?]
    public let errors: [FileError]
    public var count: Int { paths.count }
}

/// Decodes image files in batches, each batch on all cores (DispatchQueue.concurrentPerform). Only one
/// batch is held at a time, so memory does not grow with the folder. A file that fails becomes a
/// `FileError` in its batch's `errors`; the stream goes on.
public final class ImageBatchStream: Sequence, IteratorProtocol {
    public let files: [ImageFile]
    public let options: ImageLoadOptions
    public let batchSize: Int
    private var position = 0

    public init(files: [ImageFile], options: ImageLoadOptions, batchSize: Int = 256) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.files = files
        self.options = options
        self.batchSize = batchSize
    }

    public convenience init(folder: ImageFolder, options: ImageLoadOptions, batchSize: Int = 256) {
        self.init(files: folder.files, options: options, batchSize: batchSize)
    }

    public func next() -> ImageBatch? {
        guard position < files.count else { return nil }
        let slice = Array(files[position..<Swift.min(position + batchSize, files.count)])
        position += slice.count
        return Self.decode(slice, options: options)
    }

    /// Decodes into one slot per file in parallel, then compacts the successes in order.
    /// Decodes on `workers` threads (default: every core).
    public static func decode(_ slice: [ImageFile], options: ImageLoadOptions, workers: Int = ProcessInfoCores.count) -> ImageBatch {
        let n = slice.count, size = options.imageSize
        var slots = [Float](repeating: 0, count: n * size)
        var failures = [String?](repeating: nil, count: n)
        slots.withUnsafeMutableBufferPointer { slotBuffer in
            failures.withUnsafeMutableBufferPointer { failureBuffer in
                let base = slotBuffer.baseAddress!
                let workers = Swift.max(1, Swift.min(n, workers))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < n {
                        do { try options.load(path: slice[i].path, into: base + i * size) } catch {
                            failureBuffer[i] = FileError.reason(error, path: slice[i].path)
                        }
                        i += workers
                    }
                }
            }
        }
        return compact(slots, failures: failures, slice: slice, size: size)
    }

    private static func compact(_ slots: [Float], failures: [String?], slice: [ImageFile], size: Int) -> ImageBatch {
        if !failures.contains(where: { $0 != nil }) {  // the usual case: nothing to move, and no copy
            return ImageBatch(images: slots, paths: slice.map(\.path), labels: slice.map(\.label), errors: [])
        }
        var images = slots
        var paths: [String] = [], labels: [Int?] = [], errors: [FileError] = []
        var kept = 0
        for (i, file) in slice.enumerated() {
            if let reason = failures[i] {
                errors.append(FileError(path: file.path, reason: reason))
                continue
            }
            if kept != i { images.replaceSubrange((kept * size)..<((kept + 1) * size), with: slots[(i * size)..<((i + 1) * size)]) }
            paths.append(file.path)
            labels.append(file.label)
            kept += 1
        }
        images.removeSubrange((kept * size)...)
        return ImageBatch(images: images, paths: paths, labels: labels, errors: errors)
    }
}

public enum ProcessInfoCores {
    public static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(Glibc.sysconf(Int32(Glibc._SC_NPROCESSORS_ONLN))))
        #else
        return max(1, Int(Darwin.sysconf(Darwin._SC_NPROCESSORS_ONLN)))
        #endif
    }()
}
