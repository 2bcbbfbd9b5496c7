import AnomalyDetection
import DataIO

/// Chooses the images a report shows: the highest-scoring outliers, and a few typical
/// inliers (scores nearest the median of the inliers) for contrast. Only these few are
/// decoded again and reconstructed, so a run of any size keeps no pixels while scoring.
public enum ExamplePicker {
    public static func pick(records: [ScoreRecord], inputs: InputSet, detector: Detector,
                            top: Int, inliers: Int = 6) -> (outliers: [RunReport.Example], inliers: [RunReport.Example]) {
        let byPath = Dictionary(inputs.items.indices.map { (inputs.path(of: inputs.items[$0]), $0) }, uniquingKeysWith: { a, _ in a })
        let outliers = records.filter(\.outlier).sorted { ($0.score ?? 0) > ($1.score ?? 0) }.prefix(top)
        let normal = records.filter { $0.status == .ok && !$0.outlier }.sorted { ($0.score ?? 0) < ($1.score ?? 0) }
        var typical: [ScoreRecord] = []
        if !normal.isEmpty {
            let mid = normal.count / 2, lo = max(0, mid - inliers / 2)
            typical = Array(normal[lo..<min(normal.count, lo + inliers)])
        }
        func examples(_ chosen: [ScoreRecord]) -> [RunReport.Example] {
            chosen.compactMap { r -> RunReport.Example? in
                guard let position = byPath[r.path] else { return nil }
                let batch = inputs.load(position..<(position + 1), options: detector.preprocessing.loadOptions)
                guard batch.loaded.count == 1 else { return nil }
                let p = detector.preprocessing
                return RunReport.Example(path: r.path, score: r.score ?? 0, height: p.height, width: p.width, channels: p.channels,
                                         input: batch.images, reconstruction: detector.reconstruct(batch.images))
            }
        }
        return (examples(Array(outliers)), examples(typical))
    }
}
