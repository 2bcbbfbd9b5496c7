import AnomalyDetection
import DataIO

/// Labelled samples from an IDX images file with an IDX labels file, or from an image folder
/// whose first-level sub-folders are the classes.
public enum LabelledInputs {
    /// Class names in their natural order: numerically when every name is a number.
    public static func sortedClasses(_ names: Set<String>) -> [String] {
        names.allSatisfy { Int($0) != nil } ? names.sorted { Int($0)! < Int($1)! } : names.sorted()
    }

    /// Loads every labelled sample of `input`. With `classes`, labels are indices into it (a
    /// label outside it is an error); without, the classes are the labels found, sorted.
    public static func load(_ input: String, labels: String?, preprocessing: Preprocessing, classes: [String]? = nil,
                            onFailure: ((String, String) -> Void)? = nil) throws -> (samples: LabelledSamples, classes: [String]) {
        let inputs = try InputSet(paths: [input], labelsFile: labels, labelsFromSubfolders: labels == nil)
        let names = inputs.items.map { inputs.label(of: $0) }
        let found = Set(names.compactMap { $0 })
        guard !found.isEmpty else {
            throw ClassifierError.input("\(input): no labelled samples (give --labels for an IDX file, or a folder whose sub-folders are the classes)")
        }
        let classList = classes ?? sortedClasses(found)
        let index = Dictionary(uniqueKeysWithValues: classList.enumerated().map { ($1, $0) })
        if let unknown = found.subtracting(classList).sorted().first {
            throw ClassifierError.input("\(input): class \"\(unknown)\" is not one of the classifier's (\(classList.joined(separator: ", ")))")
        }
        var samples = LabelledSamples(images: [], labels: [])
        var start = 0
        while start < inputs.count {
            let chunk = start..<min(start + 2048, inputs.count)
            let batch = inputs.load(chunk, options: preprocessing.loadOptions)
            let size = preprocessing.imageSize
            for (k, p) in batch.loaded.enumerated() {
                guard let name = names[p] else { continue }  // an image outside the class folders
                samples.images += batch.images[(k * size)..<((k + 1) * size)]
                samples.labels.append(index[name]!)
            }
            for (p, reason) in batch.failed { onFailure?(inputs.path(of: inputs.items[p]), reason) }
            start = chunk.upperBound
        }
        guard samples.count > 0 else { throw ClassifierError.input("\(input): no readable labelled samples") }
        return (samples, classList)
    }
}
