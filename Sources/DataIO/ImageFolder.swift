#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One image file (PNG or JPEG) found in a folder, with its label when labels come from sub-folder names.
public struct ImageFile: Sendable {
    public let path: String
    public let label: Int?

    public init(path: String, label: Int?) {
        self.path = path
        self.label = label
    }
}

/// The image files under a folder, walked recursively in a stable order: depth first, entries sorted by
/// name (Unicode code points), `.png`, `.jpg` and `.jpeg` in any letter case (the decoder then goes by the
/// file's first bytes, not its name), hidden entries (".name") skipped, symbolic links
/// followed but each real folder visited once, so links cannot loop. Everything else that is not used
/// (other files, broken links, folders seen before, unreadable folders) gets a `skipped` record.
public struct ImageFolder {
    public let root: String
    public private(set) var files: [ImageFile] = []
    public private(set) var skipped: [FileError] = []
    /// Label names (the first sub-folder below the root), sorted; empty without labels.
    public private(set) var labelNames: [String] = []

    /// Labels: when every sub-folder name is a non-negative integer (e.g. "0"…"9") the label is that
    /// number; otherwise it is the name's index in `labelNames`.
    public init(root: String, labelsFromSubfolders: Bool = false) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataIOError.notAFolder(path: root)
        }
        self.root = root
        var found: [(path: String, labelName: String?)] = []
        var visited = Set<FolderID>()
        walk(root, labelName: nil, depth: 0, labels: labelsFromSubfolders, visited: &visited, found: &found)
        if labelsFromSubfolders {
            labelNames = Array(Set(found.compactMap(\.labelName))).sorted()
            let numbers = labelNames.compactMap { Int($0) }.filter { $0 >= 0 }
            let mapping: [String: Int] = numbers.count == labelNames.count
                ? Dictionary(uniqueKeysWithValues: labelNames.map { ($0, Int($0)!) })
                : Dictionary(uniqueKeysWithValues: labelNames.enumerated().map { ($1, $0) })
            files = found.map { ImageFile(path: $0.path, label: $0.labelName.flatMap { mapping[$0] }) }
        } else {
            files = found.map { ImageFile(path: $0.path, label: nil) }
        }
    }

    /// The names taken as images: `.png`, `.jpg`, `.jpeg`, in any letter case.
    public static func isImageName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return imageExtensions.contains { lower.hasSuffix($0) }
    }

    static let imageExtensions = [".png", ".jpg", ".jpeg"]
    static let notAnImageName = "not a PNG or JPEG file"

    private struct FolderID: Hashable { let device: UInt64; let inode: UInt64 }

    private mutating func walk(_ folder: String, labelName: String?, depth: Int, labels: Bool,
                               visited: inout Set<FolderID>, found: inout [(path: String, labelName: String?)]) {
        var info = stat()
        guard stat(folder, &info) == 0 else { return }
        guard visited.insert(FolderID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else {
            skipped.append(FileError(path: folder, reason: "folder already visited (symbolic link loop or second link to it)"))
            return
        }
        guard let entries = ImageFolder.list(folder) else {
            do { _ = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
                skipped.append(FileError(path: folder, reason: "cannot list folder: \(error.localizedDescription)"))
                return
            }
            skipped.append(FileError(path: folder, reason: "cannot list folder: \(String(cString: strerror(errno)))"))
            return
        }
        for (name, knownKind) in entries where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var kind = knownKind
            if kind == nil {
                var entry = stat()
                guard stat(path, &entry) == 0 else {
                    skipped.append(FileError(path: path, reason: "cannot read: \(String(cString: strerror(errno))) (broken symbolic link?)"))
                    continue
                }
                kind = entry.st_mode & S_IFMT
            }
            if kind == S_IFDIR {
                let childLabel = depth == 0 && labels ? name : labelName
                walk(path, labelName: childLabel, depth: depth + 1, labels: labels, visited: &visited, found: &found)
            } else if kind == S_IFREG && ImageFolder.isImageName(name) {
                found.append((path, labelName))
            } else {
                skipped.append(FileError(path: path, reason: kind == S_IFREG ? ImageFolder.notAnImageName : "not a regular file"))
            }
        }
    }

    /// The entries of `folder` sorted by name, each with its kind (S_IFREG or S_IFDIR) when readdir
    /// tells it, nil when only stat can (symbolic links, file systems without d_type): one stat per
    /// file was most of the time a folder walk took. Nil when the folder cannot be opened.
    private static func list(_ folder: String) -> [(name: String, kind: mode_t?)]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var entries: [(name: String, kind: mode_t?)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            let type = Int32(entry.pointee.d_type)
            entries.append((name, type == Int32(DT_REG) ? S_IFREG : type == Int32(DT_DIR) ? S_IFDIR : nil))
        }
        return entries.sorted { $0.name < $1.name }
    }
}
