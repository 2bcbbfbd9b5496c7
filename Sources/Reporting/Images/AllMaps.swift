import AnomalyDetection
import Foundation

/// `--maps all`: a map and an overlay for every readable input, named by its path
/// (`MapFiles.named`). The inputs are read again in batches after scoring, so memory stays that
/// of one batch however many there are. Written before the rest of the run folder, which is
/// then marked incomplete, so an interrupted run does not look finished.
public enum AllMaps {
    public static let batchSize = 256

    /// Clears the maps of an earlier run, writes every input's; returns how many were written.
    /// `scale` is the report's (`MapScale(report)`); without one (no example had a map) the
    /// first batch sets it.
    @discardableResult
    public static func write(_ inputs: InputSet, arguments: [String], detector: Detector, scale: MapScale?,
                             to dir: URL, progress: (Int, Int) -> Void = { _, _ in }) throws -> Int {
        MapFiles.clear(dir)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(MapFiles.folder), withIntermediateDirectories: true)
        let p = detector.preprocessing, pixels = p.height * p.width
        var scale = scale, written = 0
        for start in stride(from: 0, to: inputs.count, by: batchSize) {
            let batch = inputs.load(start..<min(start + batchSize, inputs.count), options: p.loadOptions)
            defer { progress(start + batch.loaded.count + batch.failed.count, inputs.count) }
            guard !batch.loaded.isEmpty else { continue }
            let maps = batch.images.withUnsafeBufferPointer { detector.anomalyMaps($0.baseAddress!, count: batch.loaded.count) }
            let s = scale ?? MapScale(low: Double(median(maps)), high: Double(maps.max() ?? 1))
            scale = s
            try Concurrently.run(batch.loaded.indices.map { k in {
                let e = RunReport.Example(path: inputs.path(of: inputs.items[batch.loaded[k]]), score: 0, height: p.height,
                                          width: p.width, channels: p.channels,
                                          input: Array(batch.images[(k * p.imageSize)..<((k + 1) * p.imageSize)]), reconstruction: [])
                try MapFiles.write(e, map: Array(maps[(k * pixels)..<((k + 1) * pixels)]), scale: s,
                                   base: MapFiles.named(e.path, inputs: arguments), in: dir)
            } })
            written += batch.loaded.count
        }
        return written
    }

    static func median(_ values: [Float]) -> Float {
        OrderStatistic.median(values.filter(\.isFinite)) ?? 0
    }
}
