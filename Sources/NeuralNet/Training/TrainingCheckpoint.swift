import Foundation

/// A training checkpoint: everything `Trainer.fit` needs to go on exactly where it stopped, so a
/// resumed run ends with the same weights, bit for bit, as one that was never interrupted (same
/// seed, same thread count). A safetensors file (written atomically) holding the weights, Adam's
/// moments and, with early stopping, the best weights so far; its metadata holds the architecture,
/// the history, the trainer state (Adam's step, the generator, the sample order, the best epoch)
/// and the caller's `job` text (what was being fitted, to check a resume against).
public enum TrainingCheckpoint {
    static let formatTag = "aedetect-checkpoint"

    struct State: Codable {
        var epochsDone: Int
        var rng: SeededRandom
        var order: [Int]
        var optimizerStep: Int
        var bestLoss: Double?
        var bestEpoch: Int?
        var hasBestWeights: Bool
    }

    public static func save(_ trainer: Trainer, job: String, to url: URL) throws {
        let best = trainer.best
        let state = State(epochsDone: trainer.history.loss.count, rng: trainer.rng, order: trainer.order,
                          optimizerStep: trainer.optimizer.step, bestLoss: best?.loss, bestEpoch: best?.epoch,
                          hasBestWeights: !(best?.weights.isEmpty ?? true))
        var st = Safetensors()
        for (k, (name, p)) in trainer.model.namedParameters.enumerated() {
            st.tensors.append((name, p.value.shape, UnsafeBufferPointer(p.value.buffer)))
            st.tensors.append(("optimizer.m.\(name)", p.value.shape, UnsafeBufferPointer(trainer.optimizer.m[k].buffer)))
            st.tensors.append(("optimizer.v.\(name)", p.value.shape, UnsafeBufferPointer(trainer.optimizer.v[k].buffer)))
            if state.hasBestWeights, let w = best?.weights[k] { st.tensors.append(("best.\(name)", w.shape, UnsafeBufferPointer(w.buffer))) }
        }
        st.metadata = ["format": formatTag, "architecture": trainer.model.architecture.jsonString(), "job": job,
                       "history": json(trainer.history), "state": json(state)]
        try ModelFile.writeAtomically(st.serialize { ["checksum": ModelFile.checksum($0)] }, to: url, overwrite: true)
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try! enc.encode(value), as: UTF8.self)
    }

    /// A checkpoint read back and checked (format, checksum), ready to restore into a trainer.
    public struct Loaded {
        public let path: String
        /// The caller's description of the fit, as saved.
        public let job: String
        public let history: TrainingHistory
        let architecture: String
        let state: State
        let parsed: Safetensors.Parsed

        /// Epochs completed when the checkpoint was written.
        public var epochsDone: Int { state.epochsDone }

        /// Puts the weights, optimizer, generator, order and early-stopping state into `trainer`,
        /// whose model must have the checkpoint's architecture.
        public func restore(into trainer: Trainer) throws {
            guard trainer.model.architecture.jsonString() == architecture else {
                throw ModelFileError.inconsistent(path, "the checkpoint is of another architecture than this fit's")
            }
            let named = trainer.model.namedParameters
            for (k, (name, p)) in named.enumerated() {
                try fill(p.value, name)
                try fill(trainer.optimizer.m[k], "optimizer.m.\(name)")
                try fill(trainer.optimizer.v[k], "optimizer.v.\(name)")
            }
            var best: (loss: Double, epoch: Int, weights: [Tensor])?
            if let loss = state.bestLoss, let epoch = state.bestEpoch {
                var weights: [Tensor] = []
                if state.hasBestWeights {
                    for (name, p) in named {
                        let w = Tensor(shape: p.value.shape)
                        try fill(w, "best.\(name)")
                        weights.append(w)
                    }
                }
                best = (loss, epoch, weights)
            }
            trainer.restore(history: history, rng: state.rng, optimizerStep: state.optimizerStep)
            trainer.order = state.order
            trainer.best = best
        }

        private func fill(_ t: Tensor, _ name: String) throws {
            guard let e = parsed.entries[name], e.shape == t.shape, let values = parsed.floats(name) else {
                throw ModelFileError.inconsistent(path, "tensor \"\(name)\" is missing or has the wrong shape")
            }
            values.withUnsafeBufferPointer { t.ptr.update(from: $0.baseAddress!, count: values.count) }
        }
    }

    public static func load(from url: URL) throws -> Loaded {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ModelFileError.unreadable(path, error.localizedDescription) }
        let parsed = try Safetensors.parse(data, path: path)
        let meta = parsed.metadata
        guard meta["format"] == formatTag else {
            throw ModelFileError.inconsistent(path, "not a training checkpoint (written by `fit --checkpoint-every`)")
        }
        guard let sum = meta["checksum"], sum == ModelFile.checksum(parsed.body) else {
            throw ModelFileError.altered(path, "checksum of the tensor data is \(ModelFile.checksum(parsed.body)), the file records \(meta["checksum"] ?? "none")")
        }
        do {
            let state = try JSONDecoder().decode(State.self, from: Data((meta["state"] ?? "").utf8))
            let history = try JSONDecoder().decode(TrainingHistory.self, from: Data((meta["history"] ?? "").utf8))
            return Loaded(path: path, job: meta["job"] ?? "", history: history, architecture: meta["architecture"] ?? "",
                          state: state, parsed: parsed)
        } catch {
            throw ModelFileError.inconsistent(path, "unreadable checkpoint state: \(error)")
        }
    }
}
