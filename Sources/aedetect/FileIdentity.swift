import AnomalyDetection
import Foundation

/// Which file is at a path and which version of it: device, inode, size and modification time.
/// A run takes it when it loads the model and checks it before writing results, so a model
/// file replaced or rewritten mid-run is caught instead of mixing two models in one run.
struct FileIdentity: Equatable {
    let path: String
    private let device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    init(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DetectorError.modelFile("\(path): cannot read the model file: \(String(cString: strerror(errno)))")
        }
        self.path = path
        device = UInt64(info.st_dev); inode = UInt64(info.st_ino); size = Int64(info.st_size)
        #if canImport(Darwin)
        seconds = Int(info.st_mtimespec.tv_sec); nanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        seconds = Int(info.st_mtim.tv_sec); nanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }

    /// Throws when the file at `path` is no longer this one (replaced, rewritten, removed).
    func verifyUnchanged(while doing: String) throws {
        let now = try? FileIdentity(path)
        guard now == self else {
            throw DetectorError.modelFile("\(path): the model file was replaced or changed while \(doing); nothing was written from this run — rerun it to use the new model")
        }
    }
}
