import DataIO
import Foundation

extension PixelEvaluation {
    /// Compares the detector's anomaly maps of the readable images among `inputs` with the
    /// masks under `masks` (same path relative to `root`; a missing mask means defect-free).
    /// Images are decoded again, a few at a time; a mask that cannot be read is reported and
    /// its image left out.
    public static func measure(_ detector: Detector, inputs: InputSet, root: String, masks: MaskFolder,
                               onFailure: ((String, String) -> Void)? = nil) -> PixelEvaluation {
        var evaluation = PixelEvaluation()
        let p = detector.preprocessing, pixels = p.height * p.width
        let perBatch = max(1, (1 << 22) / p.imageSize)
        var start = 0
        while start < inputs.count {
            let range = start..<min(start + perBatch, inputs.count)
            let batch = inputs.load(range, options: p.loadOptions)
            if !batch.loaded.isEmpty {
                let maps = batch.images.withUnsafeBufferPointer { detector.anomalyMaps($0.baseAddress!, count: batch.loaded.count) }
                for (k, position) in batch.loaded.enumerated() {
                    let path = inputs.path(of: inputs.items[position])
                    do {
                        let mask = try masks.mask(for: relativePath(path, root: root), height: p.height, width: p.width)
                        evaluation.add(map: Array(maps[(k * pixels)..<((k + 1) * pixels)]), mask: mask, height: p.height, width: p.width)
                    } catch { onFailure?(path, "\(error)") }
                }
            }
            start = range.upperBound
        }
        return evaluation
    }

    static func relativePath(_ path: String, root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path as NSString).lastPathComponent
    }
}
