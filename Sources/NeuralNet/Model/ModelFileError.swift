/// Why a model file could not be written or read; every case names the file.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, String)
    case truncated(String, String)
    case notSafetensors(String, String)
    case foreign(String)
    case altered(String, String)
    case unsupportedVersion(String, String)
    case inconsistent(String, String)
    case exists(String)
    case unwritable(String, String)

    public var description: String {
        switch self {
        case let .unreadable(p, why): return "\(p): cannot read the model file: \(why)"
        case let .truncated(p, why): return "\(p): the model file is truncated (\(why))"
        case let .notSafetensors(p, why): return "\(p): not a model file: not in safetensors format (\(why))"
        case let .foreign(p): return "\(p): a safetensors file, but not an aedetect model (no aedetect metadata)"
        case let .altered(p, why): return "\(p): the model file has been altered or corrupted (\(why))"
        case let .unsupportedVersion(p, v): return "\(p): model format version \(v) is not supported by this aedetect (reads version \(ModelFile.formatVersion))"
        case let .inconsistent(p, why): return "\(p): the model file is inconsistent: \(why)"
        case let .exists(p): return "\(p) already exists; pass --force to overwrite it"
        case let .unwritable(p, why): return "\(p): cannot write: \(why)"
        }
    }
}
