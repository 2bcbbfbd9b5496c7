/// A file that could not be used, and why. Nothing in a folder is dropped without one of these.
public struct FileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, error: Error) {
        self.path = path
        self.reason = FileError.reason(error, path: path)
    }

    public var description: String { "\(path): \(reason)" }

    /// The error's description without the leading "path: " (the record already names the path).
    static func reason(_ error: Error, path: String) -> String {
        let text = String(describing: error)
        let prefix = path + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }
}
