import DataIO

/// Scores a set of inputs with a detector, batch by batch, so memory stays flat
/// however many inputs there are; each input gets one verdict (`ScoreRecord`).
public struct Scorer {
    public let detector: Detector
    public var selection: OutlierSelection = .threshold
    /// Inputs decoded and scored together.
    public var batchSize = 1024

    public init(detector: Detector, selection: OutlierSelection = .threshold) {
        self.detector = detector
        self.selection = selection
    }

    /// Records for `inputs.items[range]` (all of them by default), in input order.
    /// `progress` gets (done, total) after each batch.
    public func score(_ inputs: InputSet, range: Range<Int>? = nil,
                      progress: ((Int, Int) -> Void)? = nil) -> [ScoreRecord] {
        Array(verdicts(inputs, range: range, progress: progress))
    }

    /// The verdicts on `inputs.items[range]` (all of them by default), in input order, kept as
    /// compact columns. Decoding and the model share the model's threads: on several, the next
    /// batch decodes while the model runs on this one; on one, they take turns.
    public func verdicts(_ inputs: InputSet, range: Range<Int>? = nil,
                         progress: ((Int, Int) -> Void)? = nil) -> Verdicts {
        let range = range ?? 0..<inputs.count
        var columns = Verdicts.Columns(inputs: inputs, range: range)
        let options = detector.preprocessing.loadOptions
        // Large images: fewer at a time, so a batch holds at most 2^22 values (16 MB); glibc
        // maps a block above 32 MB afresh on every allocation, and the page faults of a
        // 64 MB batch cost more system time than the model took. Still one image per thread at
        // least: the model and the scores split a batch by images.
        let threads = detector.model.parallelism.parts
        let batchSize = min(self.batchSize, max(threads, (1 << 22) / detector.preprocessing.imageSize))
        var start = range.lowerBound
        func decode(from first: Int) -> Prefetch<InputSet.Batch> {
            let chunk = first..<min(first + batchSize, range.upperBound)
            return Prefetch(inBackground: threads > 1) { inputs.load(chunk, options: options, threads: threads) }
        }
        var next = decode(from: start)
        while start < range.upperBound {
            let chunk = start..<min(start + batchSize, range.upperBound)
            let batch = next.value
            if chunk.upperBound < range.upperBound { next = decode(from: chunk.upperBound) }  // overlaps the model
            let (errors, scores) = batch.images.withUnsafeBufferPointer {
                detector.assess($0.baseAddress!, count: batch.loaded.count)
            }
            for (k, position) in batch.loaded.enumerated() {
                columns.setScored(position - range.lowerBound, error: errors[k], score: scores[k],
                                  pValue: detector.calibration.pValue(scores[k]))
            }
            for (position, reason) in batch.failed { columns.setFailed(position - range.lowerBound, message: reason) }
            start = chunk.upperBound
            progress?(start - range.lowerBound, range.count)
        }
        selection.apply(to: &columns, calibration: detector.calibration)
        return Verdicts(columns)
    }
}
