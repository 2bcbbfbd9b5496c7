import AnomalyDetection
import DataIO
import Foundation

/// Every input of a `classify` run: its prediction, or why it could not be read.
public struct ClassificationRun {
    public struct Row {
        public let path: String
        /// nil when the input was read and classified; otherwise why not.
        public let error: String?
        public let predicted: Int?
        public let probabilities: [Float]
        /// The known class (from --labels or a class sub-folder), as an index into the classes.
        public let truth: Int?
    }

    public let classes: [String]
    public let rows: [Row]
    /// Known labels that are not classes of the classifier (those rows are not evaluated).
    public let unknownLabels: Set<String>

    public static func run(_ classifier: Classifier, inputs: InputSet, batchSize: Int = 1000,
                           progress: ((Int, Int) -> Void)? = nil) -> ClassificationRun {
        let k = classifier.classes.count
        let index = Dictionary(uniqueKeysWithValues: classifier.classes.enumerated().map { ($1, $0) })
        var rows: [Row?] = Array(repeating: nil, count: inputs.count)
        var unknown = Set<String>()
        var start = 0
        while start < inputs.count {
            let chunk = start..<min(start + batchSize, inputs.count)
            let batch = inputs.load(chunk, options: classifier.preprocessing.loadOptions)
            let p = classifier.probabilities(batch.images, count: batch.loaded.count)
            func truth(_ position: Int) -> Int? {
                guard let name = inputs.label(of: inputs.items[position]) else { return nil }
                if let i = index[name] { return i }
                unknown.insert(name)
                return nil
            }
            for (j, position) in batch.loaded.enumerated() {
                let probs = Array(p[(j * k)..<((j + 1) * k)])
                var top = 0
                for c in 1..<k where probs[c] > probs[top] { top = c }
                rows[position] = Row(path: inputs.path(of: inputs.items[position]), error: nil, predicted: top,
                                     probabilities: probs, truth: truth(position))
            }
            for (position, reason) in batch.failed {
                rows[position] = Row(path: inputs.path(of: inputs.items[position]), error: reason, predicted: nil,
                                     probabilities: [], truth: truth(position))
            }
            start = chunk.upperBound
            progress?(start, inputs.count)
        }
        return ClassificationRun(classes: classifier.classes, rows: rows.map { $0! }, unknownLabels: unknown)
    }

    public var classifiedCount: Int { rows.filter { $0.error == nil }.count }

    /// Accuracy, per-class precision and recall and the confusion matrix over the classified
    /// rows with a known class; nil when there are none.
    public var evaluation: Evaluation? {
        let known = rows.filter { $0.error == nil && $0.truth != nil }
        guard !known.isEmpty else { return nil }
        let k = classes.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for r in known { confusion[r.truth!][r.predicted!] += 1 }
        return Evaluation(classes: classes, confusion: confusion)
    }

    public struct Evaluation {
        public let classes: [String]
        /// confusion[true class][predicted class].
        public let confusion: [[Int]]
        public var total: Int { confusion.joined().reduce(0, +) }
        public var correct: Int { confusion.indices.reduce(0) { $0 + confusion[$1][$1] } }
        public var accuracy: Double { Double(correct) / Double(max(1, total)) }
        /// nil where the class was never predicted.
        public func precision(_ c: Int) -> Double? {
            let predicted = confusion.reduce(0) { $0 + $1[c] }
            return predicted == 0 ? nil : Double(confusion[c][c]) / Double(predicted)
        }
        /// nil where the class has no samples.
        public func recall(_ c: Int) -> Double? {
            let actual = confusion[c].reduce(0, +)
            return actual == 0 ? nil : Double(confusion[c][c]) / Double(actual)
        }
        public func support(_ c: Int) -> Int { confusion[c].reduce(0, +) }
    }
}
