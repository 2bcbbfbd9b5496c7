import AtomicFiles
import Foundation

extension RunFolder {
    /// Marks `dir` as a run in progress before any work is done, so a run killed at any point
    /// (scoring included) leaves a folder that says it is incomplete; `write` later fills it and
    /// removes the mark. Refuses a finished run without `force`, and fails now, before the work,
    /// when the location cannot be written (read-only, not a folder, full).
    public static func begin(_ dir: URL, command: String, force: Bool) throws {
        try checkWritable(dir, force: force)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw RunFolderError(folder: dir.path, reason: "cannot create the run folder: \(error.localizedDescription)")
        }
        let marker = dir.appendingPathComponent(RunFiles.incompleteMarker)
        try AtomicFile.write("\(command) started \(Format.iso8601(Date()))\n", to: marker, force: true)
    }

    /// Whether `dir` is marked as being written (or abandoned mid-write).
    public static func isMarkedIncomplete(_ dir: URL) -> Bool {
        FileManager.default.fileExists(atPath: dir.appendingPathComponent(RunFiles.incompleteMarker).path)
    }
}
