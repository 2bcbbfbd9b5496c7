import AnomalyDetection
import Foundation
import NeuralNet

/// shard.json: what a shard run folder carries beyond an ordinary run so `merge` can join shards
/// without the model or the inputs: which shard of how many, where each of its rows sits in the
/// whole input list, the model's fingerprint and calibration, and the pixels of the few images a
/// merged report may show (this shard's highest scores and its typical inliers).
public struct ShardManifest: Codable {
    public static let fileName = "shard.json"

    public var index: Int
    public var count: Int
    public var rule: String
    /// The input arguments, as given (the same for every shard of one run).
    public var inputs: [String]
    /// Inputs in the whole list, over all shards.
    public var totalInputs: Int
    /// Position in the whole list of each row of this shard's scores.csv, ascending.
    public var positions: [Int]
    public var modelFingerprint: String
    public var modelPath: String
    public var architecture: String
    public var parameterCount: Int
    public var toolVersion: String
    public var selection: String
    public var fdrLevel: Double?
    public var calibration: Calibration
    public var history: TrainingHistory
    /// The `top` highest-scoring readable inputs of this shard, whether outliers here or not (a
    /// merged false-discovery selection may differ), then this shard's typical inliers.
    public var examples: [StoredExample]

    public var shardName: String { "\(index)/\(count)" }

    public init(shard: Shard, inputs: [String], totalInputs: Int, positions: [Int], detector: Detector,
                context: RunReport.Context, examples: [StoredExample]) {
        index = shard.index; count = shard.count; rule = Shard.rule
        self.inputs = inputs; self.totalInputs = totalInputs; self.positions = positions
        modelFingerprint = detector.fingerprint; modelPath = context.modelPath; architecture = context.architecture
        parameterCount = context.parameterCount; toolVersion = context.toolVersion
        selection = context.selection; fdrLevel = context.fdrLevel
        calibration = detector.calibration; history = detector.history
        self.examples = examples
    }

    public func data() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return try enc.encode(self)
    }

    public static func read(from folder: URL) throws -> ShardManifest {
        let url = folder.appendingPathComponent(fileName)
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode(ShardManifest.self, from: data)
    }
}

/// A report image kept for a later merge: the pixels as base64 of little-endian Float32, exact and compact.
public struct StoredExample: Codable {
    public var path: String
    public var score: Double
    public var height: Int
    public var width: Int
    public var channels: Int
    public var input: String
    public var reconstruction: String

    public init(_ e: RunReport.Example) {
        path = e.path; score = e.score; height = e.height; width = e.width; channels = e.channels
        input = StoredExample.encode(e.input); reconstruction = StoredExample.encode(e.reconstruction)
    }

    public var example: RunReport.Example? {
        guard let i = StoredExample.decode(input), let r = StoredExample.decode(reconstruction),
              i.count == height * width * channels, r.count == i.count else { return nil }
        return RunReport.Example(path: path, score: score, height: height, width: width, channels: channels, input: i, reconstruction: r)
    }

    static func encode(_ values: [Float]) -> String {
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    static func decode(_ text: String) -> [Float]? {
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else { return nil }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// The examples a shard keeps: its `top` highest-scoring readable inputs, then `inliers`.
    public static func forShard(records: [ScoreRecord], inputs: InputSet, detector: Detector, top: Int,
                                inliers: [RunReport.Example]) -> [StoredExample] {
        let highest = records.filter { $0.status == .ok }.sorted { ($0.score ?? 0, $1.path) > ($1.score ?? 0, $0.path) }.prefix(top)
        let positions = Dictionary(inputs.items.indices.map { (inputs.path(of: inputs.items[$0]), $0) }, uniquingKeysWith: { a, _ in a })
        let p = detector.preprocessing
        var kept: [StoredExample] = []
        for r in highest {
            guard let position = positions[r.path] else { continue }
            let batch = inputs.load(position..<(position + 1), options: p.loadOptions)
            guard batch.loaded.count == 1 else { continue }   // vanished or changed since it was scored
            kept.append(StoredExample(RunReport.Example(path: r.path, score: r.score ?? 0, height: p.height, width: p.width,
                                                        channels: p.channels, input: batch.images,
                                                        reconstruction: detector.reconstruct(batch.images))))
        }
        let seen = Set(kept.map(\.path))
        return kept + inliers.filter { !seen.contains($0.path) }.map(StoredExample.init)
    }
}
