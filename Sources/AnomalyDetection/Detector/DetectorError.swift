/// Errors of fitting and using a detector, worded for the command line.
public enum DetectorError: Error, CustomStringConvertible, Equatable {
    case input(String)
    case tooFewSamples(String)
    case modelFile(String)

    public var description: String {
        switch self {
        case .input(let m), .tooFewSamples(let m), .modelFile(let m): return m
        }
    }
}
