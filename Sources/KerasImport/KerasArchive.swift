import Foundation
import ZIPFoundation

/// The members of a Keras 3 `.keras` file (a zip): `config.json` (the model's architecture
/// and compile config), `metadata.json` (the Keras version) and `model.weights.h5`.
struct KerasArchive {
    let path: String
    let config: [String: Any]
    let metadata: [String: Any]
    let weights: Data

    init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw KerasImportError.damaged(file: path, what: "the file does not exist or cannot be read")
        }
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw KerasImportError.damaged(file: path, what: "not a zip archive, or a truncated one (\(error))")
        }
        config = try Self.json(Self.member("config.json", of: archive, path: path), member: "config.json", path: path)
        metadata = (try? Self.json(Self.member("metadata.json", of: archive, path: path), member: "metadata.json", path: path)) ?? [:]
        weights = try Self.member("model.weights.h5", of: archive, path: path)
    }

    /// The Keras version that wrote the file, from metadata.json.
    var kerasVersion: String? { metadata["keras_version"] as? String }

    private static func member(_ name: String, of archive: Archive, path: String) throws -> Data {
        guard let entry = archive[name] else {
            let present = archive.map(\.path).sorted().joined(separator: ", ")
            throw KerasImportError.damaged(file: path, what: "it has no \(name) (members: \(present.isEmpty ? "none" : present))")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry) { data.append($0) }
        } catch {
            throw KerasImportError.damaged(file: path, what: "\(name) cannot be extracted (\(error)): the archive is truncated or damaged")
        }
        return data
    }

    private static func json(_ data: Data, member: String, path: String) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw KerasImportError.damaged(file: path, what: "\(member) is not a JSON object")
        }
        return object
    }
}
