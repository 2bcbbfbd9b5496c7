import AnomalyDetection
import DataIO

/// Chooses the images a report shows: the highest-scoring outliers, and a few typical
/// inliers (scores nearest the median of the inliers) for contrast. Only these few are
/// decoded again and reconstructed, so a run of any size keeps no pixels while scoring. With
/// `maps`, each also gets its anomaly map (the inliers' set the bottom of the maps' `MapScale`).
public enum ExamplePicker {
    /// `verdicts` as a `Scorer` made them from `inputs` (each row knows its input's position).
    public static func pick(_ verdicts: Verdicts, inputs: InputSet, detector: Detector,
                            top: Int, inliers: Int = 6, maps: Bool = false) -> (outliers: [RunReport.Example], inliers: [RunReport.Example]) {
        let rows = verdicts.indices
        let outliers = rows.filter(verdicts.isOutlier).sorted { verdicts.score(at: $0) ?? 0 > verdicts.score(at: $1) ?? 0 }.prefix(top)
        let normal = rows.filter { verdicts.score(at: $0) != nil && !verdicts.isOutlier(at: $0) }
            .sorted { verdicts.score(at: $0)! < verdicts.score(at: $1)! }
        var typical: [Int] = []
        if !normal.isEmpty {
            let mid = normal.count / 2, lo = max(0, mid - inliers / 2)
            typical = Array(normal[lo..<min(normal.count, lo + inliers)])
        }
        func examples(_ chosen: [Int]) -> [RunReport.Example] {
            chosen.compactMap { row -> RunReport.Example? in
                guard let position = verdicts.position(of: row) else { return nil }
                let batch = inputs.load(position..<(position + 1), options: detector.preprocessing.loadOptions)
                guard batch.loaded.count == 1 else { return nil }
                let p = detector.preprocessing
                return RunReport.Example(path: inputs.path(of: inputs.items[position]), score: verdicts.score(at: row) ?? 0,
                                         height: p.height, width: p.width, channels: p.channels,
                                         input: batch.images, reconstruction: detector.reconstruct(batch.images),
                                         map: maps ? detector.anomalyMaps(batch.images, count: 1) : nil)
            }
        }
        return (examples(Array(outliers)), examples(typical))
    }
}
