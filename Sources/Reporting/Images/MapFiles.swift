import AtomicFiles
import Foundation

/// The `maps/` folder of a run: what its files are called, and writing and clearing them. Each
/// map is two files, `<base>-map.png` (the heatmap) and `<base>-overlay.png` (over the input).
public enum MapFiles {
    public static let folder = "maps"
    static let suffixes = ["-map.png", "-overlay.png"]

    public static func map(_ base: String) -> String { base + suffixes[0] }
    public static func overlay(_ base: String) -> String { base + suffixes[1] }

    /// `maps/<rank>-<file stem>` for the shown outlier of `rank` (from 1) of `count`; the rank
    /// is zero-padded to the width of `count` so the folder lists in rank order.
    public static func ranked(_ rank: Int, of count: Int, path: String) -> String {
        let digits = String(max(count, rank)).count, number = String(rank)
        return "\(folder)/\(String(repeating: "0", count: digits - number.count))\(number)-\(stem(path))"
    }

    /// `maps/<argument>__<path under it>` for `--maps all`: the input's path relative to the
    /// parent of the argument it came from, `/` → `__`, so inputs in different folders get
    /// different names. When two arguments share a last component the name starts with the
    /// argument's position (`1-…`).
    public static func named(_ path: String, inputs: [String]) -> String {
        let names = inputs.map(argumentName)
        for (k, raw) in inputs.enumerated() {
            let argument = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            let rest: Substring
            if path == argument { rest = "" }
            else if path.hasPrefix(argument + "/") || path.hasPrefix(argument + "#") { rest = path.dropFirst(argument.count) }
            else if argument.hasSuffix("/"), path.hasPrefix(argument) { rest = "/" + path.dropFirst(argument.count) }
            else { continue }
            let prefix = names.filter { $0 == names[k] }.count > 1 ? "\(k)-" : ""
            return "\(folder)/" + (prefix + names[k] + rest).replacingOccurrences(of: "/", with: "__")
        }
        return "\(folder)/" + path.drop { $0 == "/" }.replacingOccurrences(of: "/", with: "__")
    }

    /// The base of each shown outlier's files, in rank order; nil where none is written.
    public static func shown(_ report: RunReport) -> [String?] {
        report.topOutliers.enumerated().map { i, e in
            guard e.map != nil else { return nil }
            switch report.maps {
            case .none: return nil
            case .top: return ranked(i + 1, of: report.topOutliers.count, path: e.path)
            case .all: return named(e.path, inputs: report.context.inputs)
            }
        }
    }

    /// Writes the heatmap and the overlay of `e` at `base` under the run folder `dir`.
    public static func write(_ e: RunReport.Example, map: [Float], scale: MapScale, base: String, in dir: URL) throws {
        try AtomicFile.write(try AnomalyMapImage.heatmap(e, map: map, scale: scale).png(),
                             to: dir.appendingPathComponent(self.map(base)), force: true)
        try AtomicFile.write(try AnomalyMapImage.overlay(e, map: map, scale: scale).png(),
                             to: dir.appendingPathComponent(overlay(base)), force: true)
    }

    /// Removes the map files of an earlier run from `dir/maps`, and the folder when that leaves it
    /// empty (names depend on the inputs, so they cannot be listed in `RunFiles.all`).
    public static func clear(_ dir: URL) {
        let maps = dir.appendingPathComponent(folder), fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: maps.path) else { return }
        for name in entries where suffixes.contains(where: name.hasSuffix) {
            try? fm.removeItem(at: maps.appendingPathComponent(name))
        }
        if (try? fm.contentsOfDirectory(atPath: maps.path))?.isEmpty == true { try? fm.removeItem(at: maps) }
    }

    /// The file name without its extension; an IDX image keeps its index (`t10k-images#12`).
    static func stem(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let hash = file.lastIndex(of: "#") else { return (file as NSString).deletingPathExtension }
        return stem(String(file[..<hash])) + file[hash...]
    }

    /// The last component of an argument; for `.` or `..`, of the folder it names.
    static func argumentName(_ argument: String) -> String {
        let last = argument.split(separator: "/").last.map(String.init) ?? ""
        guard last.isEmpty || last == "." || last == ".." else { return last }
        return URL(fileURLWithPath: argument).standardizedFileURL.lastPathComponent
    }
}
