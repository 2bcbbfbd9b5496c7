/// Many file paths stored compactly: each folder once, each file name as UTF-8 bytes in one
/// shared buffer. A `String` per path costs ~100 bytes of heap for a 48-character path; here a
/// file in a folder of thousands costs its name's bytes and two integers, so a run's input list
/// stays small next to everything else a run holds (60,000 files: ~1.5 MB instead of ~6 MB).
struct PathTable {
    private var folders: [String] = []
    private var folderIndex: [String: Int32] = [:]
    private var nameBytes: [UInt8] = []
    /// Per entry: its folder and the end of its name in `nameBytes` (the start is the previous end).
    private var folderOf: [Int32] = []
    private var nameEnd: [Int] = []

    var count: Int { nameEnd.count }

    /// Adds `path` and returns its index.
    mutating func append(_ path: String) -> Int32 {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { path[path.index(after: $0)...] } ?? path[...]
        let f: Int32
        if let known = folderIndex[folder] {
            f = known
        } else {
            f = Int32(folders.count)
            folders.append(folder)
            folderIndex[folder] = f
        }
        nameBytes += name.utf8
        folderOf.append(f)
        nameEnd.append(nameBytes.count)
        return Int32(nameEnd.count - 1)
    }

    subscript(i: Int32) -> String {
        let i = Int(i), start = i == 0 ? 0 : nameEnd[i - 1]
        let name = nameBytes[start..<nameEnd[i]].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        return folders[Int(folderOf[i])] + name
    }
}
