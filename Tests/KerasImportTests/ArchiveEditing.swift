import Foundation
import ZIPFoundation

/// Altered copies of a fixture archive, for the refusal tests: a member removed or replaced, or
/// config.json edited as JSON.
enum ArchiveEditing {
    static func members(of path: String) throws -> [(name: String, data: Data)] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return (entry.path, data)
        }
    }

    static func write(_ members: [(name: String, data: Data)], to url: URL) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (name, data) in members {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// A copy of `source` in a temporary folder with `change` applied to its members.
    static func copy(of source: String, named name: String,
                     _ change: (inout [(name: String, data: Data)]) throws -> Void) throws -> String {
        var list = try members(of: source)
        try change(&list)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("keras-\(UUID().uuidString)-\(name).keras")
        try write(list, to: url)
        return url.path
    }

    /// A copy whose config.json is edited: `edit` gets the layer list of the model's config.
    static func copy(of source: String, named name: String, editingLayers edit: @escaping (inout [[String: Any]]) -> Void) throws -> String {
        try copy(of: source, named: name) { list in
            let i = list.firstIndex { $0.name == "config.json" }!
            var root = try JSONSerialization.jsonObject(with: list[i].data) as! [String: Any]
            var config = root["config"] as! [String: Any]
            var layers = config["layers"] as! [[String: Any]]
            edit(&layers)
            config["layers"] = layers
            root["config"] = config
            list[i].data = try JSONSerialization.data(withJSONObject: root)
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Sets `key` in the layer's `config`.
    mutating func setConfig(_ key: String, _ value: Any) {
        var config = self["config"] as! [String: Any]
        config[key] = value
        self["config"] = config
    }
}
