import AtomicFiles
import CZlibSystem
import Foundation

/// The model file: safetensors (so Python's `safetensors` opens it) holding the weights,
/// optionally Adam's moments, and `__metadata__` with the format version, the
/// architecture, the training history, a CRC-32 of the tensor bytes, and whatever the
/// caller adds (preprocessing, calibration).
public enum ModelFile {
    public static let formatVersion = 1
    static let formatTag = "aedetect-model"
    /// Metadata keys this file format owns; callers' extra keys must avoid them.
    static let reservedKeys: Set<String> = ["format", "format_version", "architecture", "history", "checksum", "optimizer_step"]

    public struct Loaded {
        public let model: Sequential
        public let history: TrainingHistory
        /// The caller's metadata (everything not owned by the file format).
        public let extra: [String: String]
        /// Adam's step and moments, present when saved with the optimizer.
        public let optimizer: (step: Int, m: [[Float]], v: [[Float]])?
    }

    /// Writes atomically (temporary file, fsync, rename); refuses to replace an existing
    /// file unless `overwrite`.
    public static func save(_ model: Sequential, history: TrainingHistory, extra: [String: String] = [:],
                            optimizer: Adam? = nil, to url: URL, overwrite: Bool = false) throws {
        if !overwrite && FileManager.default.fileExists(atPath: url.path) { throw ModelFileError.exists(url.path) }
        precondition(reservedKeys.isDisjoint(with: extra.keys), "metadata keys \(extra.keys) collide with the file format's")
        let bytes = serialize(model, history: history, extra: extra, optimizer: optimizer)
        try writeAtomically(bytes, to: url, overwrite: overwrite)
    }

    /// Temporary file, fsync, rename (`AtomicFile`), with its errors told as the model file's.
    static func writeAtomically(_ bytes: Data, to url: URL, overwrite: Bool) throws {
        do {
            try AtomicFile.write(bytes, to: url, force: overwrite)
        } catch let e as AtomicFileError {
            throw e.isExistingFile ? ModelFileError.exists(url.path) : ModelFileError.unwritable(url.path, e.reason)
        }
    }

    static func serialize(_ model: Sequential, history: TrainingHistory, extra: [String: String], optimizer: Adam?) -> Data {
        var st = Safetensors()
        for (name, p) in model.namedParameters {
            st.tensors.append((name, p.value.shape, UnsafeBufferPointer(p.value.buffer)))
        }
        if let opt = optimizer {
            for (k, (name, _)) in model.namedParameters.enumerated() {
                st.tensors.append(("optimizer.m.\(name)", opt.m[k].shape, UnsafeBufferPointer(opt.m[k].buffer)))
                st.tensors.append(("optimizer.v.\(name)", opt.v[k].shape, UnsafeBufferPointer(opt.v[k].buffer)))
            }
            st.metadata["optimizer_step"] = String(opt.step)
        }
        st.metadata.merge(extra) { a, _ in a }
        st.metadata["format"] = formatTag
        st.metadata["format_version"] = String(formatVersion)
        st.metadata["architecture"] = model.architecture.jsonString()
        st.metadata["history"] = String(decoding: try! JSONEncoder().encode(history), as: UTF8.self)
        return st.serialize { body in ["checksum": checksum(body)] }
    }

    public static func load(from url: URL) throws -> Loaded {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ModelFileError.unreadable(path, error.localizedDescription) }
        let parsed = try Safetensors.parse(data, path: path)
        let meta = parsed.metadata
        guard meta["format"] == formatTag else { throw ModelFileError.foreign(path) }
        guard meta["format_version"] == String(formatVersion) else {
            throw ModelFileError.unsupportedVersion(path, meta["format_version"] ?? "(none)")
        }
        guard let sum = meta["checksum"], sum == checksum(parsed.body) else {
            throw ModelFileError.altered(path, "checksum of the tensor data is \(checksum(parsed.body)), the file records \(meta["checksum"] ?? "none")")
        }
        let architecture: Architecture
        do { architecture = try JSONDecoder().decode(Architecture.self, from: Data((meta["architecture"] ?? "").utf8)) } catch {
            throw ModelFileError.inconsistent(path, "unreadable architecture: \(error)")
        }
        let model: Sequential
        do { model = try Sequential(architecture: architecture, seed: 0) } catch {
            throw ModelFileError.inconsistent(path, "architecture does not build: \(error)")
        }
        try fill(model, from: parsed, path: path)
        let history = (try? JSONDecoder().decode(TrainingHistory.self, from: Data((meta["history"] ?? "").utf8))) ?? TrainingHistory()
        let extra = meta.filter { !reservedKeys.contains($0.key) }
        return Loaded(model: model, history: history, extra: extra, optimizer: optimizerState(model, parsed))
    }

    private static func fill(_ model: Sequential, from parsed: Safetensors.Parsed, path: String) throws {
        for (name, p) in model.namedParameters {
            guard let e = parsed.entries[name] else { throw ModelFileError.inconsistent(path, "tensor \"\(name)\" is missing") }
            guard e.shape == p.value.shape else {
                throw ModelFileError.inconsistent(path, "tensor \"\(name)\" has shape \(e.shape), the architecture needs \(p.value.shape)")
            }
            let values = parsed.floats(name)!
            values.withUnsafeBufferPointer { p.value.ptr.update(from: $0.baseAddress!, count: values.count) }
        }
    }

    private static func optimizerState(_ model: Sequential, _ parsed: Safetensors.Parsed) -> (step: Int, m: [[Float]], v: [[Float]])? {
        guard let step = parsed.metadata["optimizer_step"].flatMap(Int.init) else { return nil }
        var m: [[Float]] = [], v: [[Float]] = []
        for (name, _) in model.namedParameters {
            guard let mi = parsed.floats("optimizer.m.\(name)"), let vi = parsed.floats("optimizer.v.\(name)") else { return nil }
            m.append(mi); v.append(vi)
        }
        return (step, m, v)
    }

    /// CRC-32 (zlib) of the tensor bytes, as "crc32:xxxxxxxx".
    static func checksum(_ body: Data) -> String {
        let c = body.withUnsafeBytes { raw -> UInt in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return 0 }
            return UInt(crc32(0, base, UInt32(raw.count)))
        }
        return "crc32:" + String(format: "%08x", c)
    }
}
