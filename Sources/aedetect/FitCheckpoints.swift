import AnomalyDetection
import Foundation
import NeuralNet

/// What a checkpoint must match to be resumed: everything that decides the weights except
/// --epochs (a resumed fit may train for longer). Saved in the checkpoint; a resume with
/// different settings is refused, naming what differs.
struct FitSettings: Codable, Equatable {
    var input: String
    var labels: String?
    var normalClass: String?
    var architecture: String
    var batchSize: Int
    var learningRate: Float
    var seed: UInt64
    var noise: Float?
    var patience: Int?
    var calibrationFraction: Double
    var threshold: String
    /// The scoring rule in effect (--scoring, or the architecture's): it decides the calibration.
    /// Optional only so that an older checkpoint still decodes; it is then refused as different.
    var scoring: String?
    var invert: Bool
    var resize: Bool
    var threads: Int
    var samples: Int
    /// FNV-1a of the normal samples' values: the same input read the same way.
    var data: String

    func json() -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try! enc.encode(self), as: UTF8.self)
    }

    /// "--seed: 1 in the checkpoint, 2 now" lines for the settings that differ from `other`.
    func differences(from other: FitSettings) -> [String] {
        func fields(_ s: FitSettings) -> [String: String] {
            let object = (try? JSONSerialization.jsonObject(with: Data(s.json().utf8))) as? [String: Any] ?? [:]
            return object.mapValues { "\($0)" }
        }
        let a = fields(other), b = fields(self)
        return Set(a.keys).union(b.keys).sorted().compactMap { key in
            a[key] == b[key] ? nil : "\(key): \(a[key] ?? "none") in the checkpoint, \(b[key] ?? "none") now"
        }
    }
}

/// `fit --checkpoint-every E [--checkpoint PATH]` and `fit --resume PATH`: writes a checkpoint every
/// E epochs (and after the last), and restores one before training so the fit goes on where it stopped.
final class FitCheckpoints {
    let path: URL?
    let every: Int?
    let settings: FitSettings
    private let resumed: TrainingCheckpoint.Loaded?
    private let lock = NSLock()
    private var written: Int?
    private let interruption: Interruption

    init(path: String?, every: Int?, resume: String?, settings: FitSettings, epochs: Int, interruption: Interruption) throws {
        self.path = (path ?? resume).map { URL(fileURLWithPath: $0) }
        self.every = every
        self.settings = settings
        self.interruption = interruption
        guard let resume else { resumed = nil; return }
        let loaded = try TrainingCheckpoint.load(from: URL(fileURLWithPath: resume))
        guard let saved = try? JSONDecoder().decode(FitSettings.self, from: Data(loaded.job.utf8)) else {
            throw DetectorError.modelFile("\(resume): not a checkpoint of `aedetect fit` (no fit settings in it)")
        }
        let differences = settings.differences(from: saved)
        guard differences.isEmpty else {
            throw DetectorError.input("--resume \(resume): this command differs from the fit that wrote the checkpoint; run it with the same input and options (\(differences.joined(separator: "; ")))")
        }
        guard loaded.epochsDone <= epochs else {
            throw DetectorError.input("--resume \(resume): the checkpoint has \(loaded.epochsDone) epochs done, more than --epochs \(epochs)")
        }
        resumed = loaded
        written = loaded.epochsDone
    }

    var resumedEpochs: Int? { resumed?.epochsDone }

    /// For `DetectorFit.prepareTrainer`: restore, then write checkpoints as epochs complete.
    func prepare(_ trainer: Trainer) throws {
        if let resumed { try resumed.restore(into: trainer) }
        guard let every, let path else { return }
        trainer.epochCompleted = { [self] t in
            let done = t.history.loss.count
            guard done % every == 0 || done == t.options.epochs else { return }
            try interruption.deferring {
                try TrainingCheckpoint.save(t, job: settings.json(), to: path)
                lock.lock(); written = done; lock.unlock()
            }
        }
    }

    /// Where the last checkpoint is, for the message on interruption.
    var explanation: String {
        lock.lock(); defer { lock.unlock() }
        guard let path, let written else {
            return every == nil ? "No checkpoint was written (--checkpoint-every E writes one every E epochs)." : "No checkpoint was written yet."
        }
        return "The last checkpoint (after epoch \(written)) is \(path.path); rerun the same command with --resume \(path.path) to go on."
    }
}

extension Fit {
    func settings(architecture: Architecture, training: TrainingOptions, scoring: ScoringRule, data: NormalSamples) -> FitSettings {
        var hash = FNV1a()
        data.images.withUnsafeBufferPointer { hash.add($0.baseAddress!, count: $0.count) }
        return FitSettings(input: input, labels: labels, normalClass: normalClass, architecture: architecture.jsonString(),
                           batchSize: training.batchSize, learningRate: training.learningRate, seed: training.seed,
                           noise: training.noise, patience: training.patience, calibrationFraction: calibrationFraction,
                           threshold: threshold, scoring: "\(scoring)", invert: invert, resize: resize, threads: threads, samples: data.count, data: hash.hex)
    }

    /// Fails before training, not after, when the model or checkpoint cannot be written there.
    static func checkWritable(_ url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let probe = dir.appendingPathComponent(".aedetect-write-test-\(getpid())")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw ModelFileError.unwritable(url.path, "cannot create a file in \(dir.path) (\(String(cString: strerror(errno))))")
        }
        try? FileManager.default.removeItem(at: probe)
    }
}
