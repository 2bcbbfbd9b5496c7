import Foundation

/// Writes whole files so that a crash leaves either the old file or the new one, never half of
/// either: the bytes go to a hidden temporary file in the same folder (same file system, so the
/// rename is atomic), are flushed with fsync, and the file is then moved into place.
///
/// Without `force` an existing file is never replaced, and the check is atomic too: the temporary
/// file is hard-linked to the destination, which fails if the destination exists (on file systems
/// without hard links this falls back to a check followed by a rename).
public enum AtomicFile {
    public static func write(_ text: String, to url: URL, force: Bool = false) throws {
        try write(Data(text.utf8), to: url, force: force)
    }

    public static func write(_ data: Data, to url: URL, force: Bool = false) throws {
        try write(to: url, force: force) { write in try data.withUnsafeBytes { try write($0.bindMemory(to: UInt8.self)) } }
    }

    /// Writes the bytes `produce` hands to its `write` function, in order, as one file: the same
    /// temporary file, fsync and move into place, for files too long to hold in memory first.
    public static func write(to url: URL, force: Bool = false,
                             _ produce: (_ write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw AtomicFileError(path: path, reason: "is a folder") }
            if !force { throw AtomicFileError.exists(path) }
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError(path: folder.path, reason: "cannot create folder: \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do {
            try writeAndSync(to: temporary, produce)
            try moveIntoPlace(temporary, path, force: force)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func writeAndSync(to temporary: String,
                                     _ produce: (_ write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) throws {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw AtomicFileError.system(temporary, "cannot create") }
        defer { close(fd) }
        try produce { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError.system(temporary, "cannot write")
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw AtomicFileError.system(temporary, "cannot flush") }
    }

    private static func moveIntoPlace(_ temporary: String, _ path: String, force: Bool) throws {
        if force {
            guard rename(temporary, path) == 0 else { throw AtomicFileError.system(path, "cannot rename into") }
            return
        }
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        if errno == EEXIST { throw AtomicFileError.exists(path) }
        guard errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK else {
            throw AtomicFileError.system(path, "cannot link into")
        }
        // No hard links here: check, then rename (a file created in between would be replaced).
        if FileManager.default.fileExists(atPath: path) { throw AtomicFileError.exists(path) }
        guard rename(temporary, path) == 0 else { throw AtomicFileError.system(path, "cannot rename into") }
    }
}

public struct AtomicFileError: Error, LocalizedError, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String

    public var isExistingFile: Bool { reason == AtomicFileError.existsReason }

    public var description: String { "\(path): \(reason)" }
    public var errorDescription: String? { description }

    static let existsReason = "already exists (refusing to overwrite)"

    public static func exists(_ path: String) -> AtomicFileError { AtomicFileError(path: path, reason: existsReason) }

    static func system(_ path: String, _ action: String) -> AtomicFileError {
        AtomicFileError(path: path, reason: "\(action): \(String(cString: strerror(errno)))")
    }
}
