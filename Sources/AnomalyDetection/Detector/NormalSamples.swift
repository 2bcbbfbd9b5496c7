import DataIO

/// The normal samples a detector is fitted on, loaded whole (training needs them all).
public struct NormalSamples {
    public let images: [Float]
    public let count: Int
    /// Inputs that could not be used, with the reason; fitting goes on without them.
    public let failed: [(path: String, reason: String)]

    /// Loads an IDX file or PNG folder, keeping only `normalClass` when given (an IDX
    /// label with `labels`, or a first-level sub-folder name of a folder).
    public static func load(_ input: String, labels: String?, normalClass: String?, preprocessing: Preprocessing,
                            onFailure: ((String, String) -> Void)? = nil) throws -> NormalSamples {
        let (inputs, keep) = try select(input, labels: labels, normalClass: normalClass)
        var images: [Float] = [], count = 0, failed: [(String, String)] = []
        // Contiguous runs of kept items load as one batch (PNG decoding on all cores).
        for run in runs(of: keep) {
            var start = run.lowerBound
            while start < run.upperBound {
                let chunk = start..<min(start + 2048, run.upperBound)
                let batch = inputs.load(chunk, options: preprocessing.loadOptions)
                images += batch.images
                count += batch.loaded.count
                for (p, reason) in batch.failed {
                    let path = inputs.path(of: inputs.items[p])
                    failed.append((path, reason))
                    onFailure?(path, reason)
                }
                start = chunk.upperBound
            }
        }
        guard count > 0 else { throw DetectorError.input("\(input): no readable samples") }
        return NormalSamples(images: images, count: count, failed: failed)
    }

    /// The inputs of `input` and the positions of the normal ones among them (all, or those of `normalClass`).
    public static func select(_ input: String, labels: String?, normalClass: String?) throws -> (InputSet, [Int]) {
        let inputs = try InputSet(paths: [input], labelsFile: labels, labelsFromSubfolders: normalClass != nil && labels == nil)
        var keep = Array(0..<inputs.count)
        if let normalClass {
            keep = keep.filter { inputs.label(of: inputs.items[$0]) == normalClass }
            guard !keep.isEmpty else {
                let known = Set(inputs.items.compactMap { inputs.label(of: $0) }).sorted()
                throw DetectorError.input("\(input): no samples of class \"\(normalClass)\" (classes found: \(known.joined(separator: ", ")))")
            }
        }
        return (inputs, keep)
    }

    /// [1, 2, 3, 7, 8] → [1..<4, 7..<9].
    static func runs(of sorted: [Int]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for i in sorted {
            if let last = out.last, last.upperBound == i { out[out.count - 1] = last.lowerBound..<(i + 1) } else { out.append(i..<(i + 1)) }
        }
        return out
    }
}
