#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AtomicFiles
import Foundation

/// A growable block of raw bytes owned by this object (malloc'd, freed on deinit).
/// Used for whole files and decompressed streams so large data is never copied into a Swift array first.
public final class ByteBuffer {
    public private(set) var pointer: UnsafeMutableRawPointer
    public private(set) var capacity: Int
    public var count: Int

    public init(capacity: Int) {
        self.capacity = max(capacity, 1)
        self.pointer = malloc(self.capacity)!
        self.count = 0
    }

    public convenience init(bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        bytes.withUnsafeBytes { if $0.count > 0 { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        count = bytes.count
    }

    deinit { free(pointer) }

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }
    public var array: [UInt8] { Array(bytes) }

    /// Grows the allocation to at least `newCapacity` bytes, keeping the contents.
    func reserve(_ newCapacity: Int) {
        guard newCapacity > capacity else { return }
        pointer = realloc(pointer, newCapacity)!
        capacity = newCapacity
    }

    /// Reads a whole file with one allocation sized from fstat.
    public static func read(path: String) throws -> ByteBuffer {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataIOError.cannotRead(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataIOError.cannotRead(file: path, reason: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw DataIOError.cannotRead(file: path, reason: "is a folder") }
        let buffer = ByteBuffer(capacity: Int(info.st_size) + 1)
        while true {
            if buffer.count == buffer.capacity { buffer.reserve(buffer.capacity * 2) }
            let n = systemRead(fd, buffer.pointer + buffer.count, buffer.capacity - buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw DataIOError.cannotRead(file: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            buffer.count += n
        }
        return buffer
    }

    /// Writes the bytes to `path` through a temporary file and a rename, so a crash leaves no half-written file.
    public func write(to path: String) throws {
        try ByteBuffer.writeAtomically(bytes, to: path)
    }

    static func writeAtomically(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        do {
            try AtomicFile.write(to: URL(fileURLWithPath: path), force: true) { write in
                try write(bytes.bindMemory(to: UInt8.self))
            }
        } catch let e as AtomicFileError {
            throw DataIOError.cannotWrite(file: path, reason: e.reason)
        }
    }
}

/// The POSIX read(2), named so it does not clash with `ByteBuffer.read(path:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
