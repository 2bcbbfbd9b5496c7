import DataIO
import Foundation
import NeuralNet

/// The image-folder benchmark: for one texture laid out as `train/good`, `<split>/{good,defects…}`
/// and `<split>-masks/`, fit the default detector on `train` exactly as `fit DIR` does, then
/// measure `evaluate <split> --normal-class good --masks <split>-masks`; PCA on the native
/// pixels, fitted and scored in the same run, is the baseline.
public enum FolderBenchmark {
    public struct Result: Sendable {
        public let name: String
        public var imageAUC: Double?, pixelAUC: Double?, proAUC: Double?
        public var pcaImageAUC: Double?, pcaPixelAUC: Double?
        /// Image ROC AUC of normal against each defect kind alone.
        public var perDefect: [(defect: String, auc: Double?)] = []
        public var fitSeconds = 0.0, scoredPerSecond = 0.0
        public var geometry = ""
    }

    public static func run(_ dir: String, split: String, pcaComponents: Int = 32, seed: UInt64 = 0, steps: Int? = nil,
                           note: ((String) -> Void)? = nil) throws -> Result {
        let name = (dir as NSString).lastPathComponent
        let train = try InputSet(paths: [dir + "/train"])
        let positions = Array(0..<train.count)
        guard let g = InputGeometry.survey(train, positions: positions) else { throw DetectorError.input("\(dir)/train: no readable images") }
        var result = Result(name: name)
        result.geometry = "\(g.height)×\(g.width)×\(g.channels)"
        let detector = try fitDefault(train, positions, g, seed: seed, steps: steps, seconds: &result.fitSeconds)
        let test = try InputSet(paths: [dir + "/" + split], labelsFromSubfolders: true)
        let started = Date()
        let verdicts = Scorer(detector: detector).verdicts(test)
        result.scoredPerSecond = Double(test.count) / max(Date().timeIntervalSince(started), 1e-9)
        let records = Array(verdicts)
        result.imageAUC = LabelledEvaluation(records: records, normalClass: "good").roc.auc
        result.perDefect = perDefect(records.map { ($0.label ?? "", $0.score ?? .nan) })
        let masks = try MaskFolder(root: dir + "/" + split + "-masks")
        var pixel = PixelEvaluation.measure(detector, inputs: test, root: dir + "/" + split, masks: masks)
        (result.pixelAUC, result.proAUC) = (pixel.result.rocAUC, pixel.result.proAUC)
        if pcaComponents > 0 {
            note?("\(name): PCA(\(pcaComponents)) baseline")
            (result.pcaImageAUC, result.pcaPixelAUC) = try pcaBaseline(train, test, root: dir + "/" + split, masks: masks,
                                                                       geometry: g, components: pcaComponents)
        }
        return result
    }

    private static func fitDefault(_ train: InputSet, _ positions: [Int], _ g: InputGeometry, seed: UInt64, steps: Int?,
                                   seconds: inout Double) throws -> Detector {
        let started = Date()
        let p = try DefaultDetector.tiledPreprocessing(g, invert: false, resize: false)
        var job = TiledDetectorFit(architecture: DefaultDetector.tiledArchitecture(p), preprocessing: p, scoring: DefaultDetector.tiledScoring)
        job.seed = seed
        if let steps { job.stepBudget = steps }
        job.provenance = ["normal_class": "good"]
        let detector = try job.run(train, positions: positions).0
        seconds = Date().timeIntervalSince(started)
        return detector
    }

    static func perDefect(_ scored: [(label: String, score: Double)]) -> [(defect: String, auc: Double?)] {
        let normal = scored.filter { $0.label == "good" }.map(\.score)
        return Set(scored.map(\.label)).subtracting(["good", ""]).sorted().map { defect in
            let bad = scored.filter { $0.label == defect }.map(\.score)
            return (defect, ROCCurve(scores: normal + bad, labels: normal.map { _ in false } + bad.map { _ in true }).auc)
        }
    }

    /// PCA on the flattened native pixels, scored by pixel MSE; its pixel map is the squared
    /// residual averaged over channels.
    private static func pcaBaseline(_ train: InputSet, _ test: InputSet, root: String, masks: MaskFolder,
                                    geometry g: InputGeometry, components: Int) throws -> (Double?, Double?) {
        let options = Preprocessing(height: g.height, width: g.width, channels: g.channels).loadOptions
        let fit = train.load(0..<train.count, options: options)
        let d = options.imageSize
        let pca = try fit.images.withUnsafeBufferPointer {
            try PCA.fit($0.baseAddress!, count: fit.loaded.count, dimension: d, components: min(components, fit.loaded.count - 1))
        }
        let batch = test.load(0..<test.count, options: options)
        var recon = [Float](repeating: 0, count: batch.images.count)
        batch.images.withUnsafeBufferPointer { x in recon.withUnsafeMutableBufferPointer { r in
            pca.reconstruct(x.baseAddress!, count: batch.loaded.count, into: r.baseAddress!)
        } }
        var scored: [(Bool, Double)] = [], pixel = PixelEvaluation()
        let pixels = g.height * g.width
        for (k, position) in batch.loaded.enumerated() {
            let item = test.items[position]
            var map = [Float](repeating: 0, count: pixels), total = 0.0
            for i in 0..<pixels {
                var e: Float = 0
                for c in 0..<g.channels { let v = batch.images[k * d + i * g.channels + c] - recon[k * d + i * g.channels + c]; e += v * v }
                map[i] = e / Float(g.channels); total += Double(e)
            }
            scored.append((test.label(of: item) != "good", total))
            let relative = PixelEvaluation.relativePath(test.path(of: item), root: root)
            pixel.add(map: map, mask: try masks.mask(for: relative, height: g.height, width: g.width), height: g.height, width: g.width)
        }
        let auc = ROCCurve(scores: scored.map(\.1), labels: scored.map(\.0)).auc
        return (auc, pixel.result.rocAUC)
    }
}
