import DataIO

/// Scores a set of inputs with a detector, batch by batch, so memory stays flat
/// however many inputs there are; each input becomes one `ScoreRecord`.
public struct Scorer {
    public let detector: Detector
    public var selection: OutlierSelection = .threshold
    /// Inputs decoded and scored together.
    public var batchSize = 1000

    public init(detector: Detector, selection: OutlierSelection = .threshold) {
        self.detector = detector
        self.selection = selection
    }

    /// Records for `inputs.items[range]` (all of them by default), in input order.
    /// `progress` gets (done, total) after each batch.
    public func score(_ inputs: InputSet, range: Range<Int>? = nil,
                      progress: ((Int, Int) -> Void)? = nil) -> [ScoreRecord] {
        let range = range ?? 0..<inputs.count
        var records: [ScoreRecord?] = Array(repeating: nil, count: range.count)
        let options = detector.preprocessing.loadOptions
        var start = range.lowerBound
        func decode(from first: Int) -> Prefetch<InputSet.Batch> {
            let chunk = first..<min(first + batchSize, range.upperBound)
            return Prefetch { inputs.load(chunk, options: options) }
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
                let item = inputs.items[position]
                let score = scores[k]
                records[position - range.lowerBound] = ScoreRecord(
                    path: inputs.path(of: item), status: .ok, error: errors[k], score: score,
                    pValue: detector.calibration.pValue(score), label: inputs.label(of: item))
            }
            for (position, reason) in batch.failed {
                let item = inputs.items[position]
                records[position - range.lowerBound] = ScoreRecord(path: inputs.path(of: item), status: .error,
                                                                   message: reason, label: inputs.label(of: item))
            }
            start = chunk.upperBound
            progress?(start - range.lowerBound, range.count)
        }
        var out = records.map { $0! }
        selection.apply(to: &out, calibration: detector.calibration)
        return out
    }
}
