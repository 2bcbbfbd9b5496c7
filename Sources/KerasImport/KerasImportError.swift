/// Why a `.keras` file cannot be imported; every message names the file, and a refused
/// layer by its class and name.
public enum KerasImportError: Error, CustomStringConvertible, Equatable {
    /// The archive itself: not a zip, a member missing or unreadable, HDF5 damaged.
    case damaged(file: String, what: String)
    /// A layer (or the model) that the import vocabulary does not cover.
    case unsupportedLayer(file: String, className: String, name: String, why: String)
    /// The config describes something aedetect cannot build or the weights do not fit it.
    case inconsistent(file: String, what: String)

    public var description: String {
        switch self {
        case let .damaged(file, what): return "\(file): not a usable .keras archive: \(what)"
        case let .unsupportedLayer(file, className, name, why):
            return "\(file): layer \"\(name)\" (\(className)) cannot be imported: \(why)"
        case let .inconsistent(file, what): return "\(file): \(what)"
        }
    }

    /// The layer classes `aedetect import` reads.
    public static let vocabulary = "InputLayer, Dense, Conv2D, Conv2DTranspose, MaxPooling2D, Flatten, Reshape, LSTM, Bidirectional(LSTM), TimeDistributed(Dense)"
}
