/// Every input's verdict (`ScoreRecord`), in input order, and the few things a report asks of
/// them all: counts, the failed ones, the outliers ranked, the scores.
///
/// A scoring run keeps its verdicts as compact columns (about 26 bytes an input: error, score
/// and p-value as numbers, status and outlier flags, a message only for inputs that failed);
/// paths and labels are read from the `InputSet` when a record is asked for. Before this, every
/// input held a whole `ScoreRecord` (~0.4 KB with its strings) until the run folder was written,
/// so peak memory grew with the folder. Verdicts made from records (merge, tests) keep the records.
public struct Verdicts: RandomAccessCollection {
    /// The compact form a `Scorer` fills: row i is `inputs.items[first + i]`.
    public struct Columns {
        public let inputs: InputSet
        public let first: Int
        /// Scored (ok) rows have all three numbers; the others have none and a message.
        var scored: [Bool]
        var error: [Double]
        var score: [Double]
        var pValue: [Double]
        var outlier: [Bool]
        var messages: [Int: String] = [:]

        init(inputs: InputSet, range: Range<Int>) {
            self.inputs = inputs
            first = range.lowerBound
            scored = Array(repeating: false, count: range.count)
            error = Array(repeating: 0, count: range.count)
            score = Array(repeating: 0, count: range.count)
            pValue = Array(repeating: 0, count: range.count)
            outlier = Array(repeating: false, count: range.count)
        }

        mutating func setScored(_ row: Int, error e: Double, score s: Double, pValue p: Double) {
            scored[row] = true; error[row] = e; score[row] = s; pValue[row] = p
        }

        mutating func setFailed(_ row: Int, message: String) { messages[row] = message }

        func record(_ row: Int) -> ScoreRecord {
            let item = inputs.items[first + row]
            guard scored[row] else {
                return ScoreRecord(path: inputs.path(of: item), status: .error, message: messages[row], label: inputs.label(of: item))
            }
            return ScoreRecord(path: inputs.path(of: item), status: .ok, error: error[row], score: score[row],
                               pValue: pValue[row], outlier: outlier[row], label: inputs.label(of: item))
        }
    }

    fileprivate enum Storage {
        case records([ScoreRecord])
        case columns(Columns)
    }

    private let storage: Storage
    public let scoredCount: Int
    public let hasLabels: Bool
    /// The inputs that could not be scored, in input order.
    public let failed: [ScoreRecord]
    /// Outliers, most anomalous first (ties by path, so the order is stable); their records
    /// are made when asked for, so a run with many outliers holds only their row numbers.
    public let outliers: RankedOutliers

    public init(_ records: [ScoreRecord]) {
        self.init(storage: .records(records))
    }

    public init(_ columns: Columns) {
        self.init(storage: .columns(columns))
    }

    private init(storage: Storage) {
        self.storage = storage
        var scored = 0, labels = false
        var failed: [ScoreRecord] = [], rows: [Int] = []
        switch storage {
        case .records(let records):
            for (i, r) in records.enumerated() {
                if r.status == .ok { scored += 1 } else { failed.append(r) }
                if r.outlier { rows.append(i) }
                labels = labels || r.label != nil
            }
        case .columns(let c):
            scored = c.scored.reduce(0) { $0 + ($1 ? 1 : 0) }
            failed = c.messages.keys.sorted().map(c.record)
            rows = c.outlier.indices.filter { c.outlier[$0] }
            labels = c.inputs.items[c.first..<(c.first + c.scored.count)].contains { c.inputs.label(of: $0) != nil }
        }
        scoredCount = scored
        hasLabels = labels
        self.failed = failed
        outliers = RankedOutliers(storage: storage, rows: rows)
    }

    fileprivate static func record(_ storage: Storage, _ row: Int) -> ScoreRecord {
        switch storage {
        case .records(let r): r[row]
        case .columns(let c): c.record(row)
        }
    }

    fileprivate static func score(_ storage: Storage, _ row: Int) -> Double {
        switch storage {
        case .records(let r): r[row].score ?? 0
        case .columns(let c): c.score[row]
        }
    }

    fileprivate static func path(_ storage: Storage, _ row: Int) -> String {
        switch storage {
        case .records(let r): r[row].path
        case .columns(let c): c.inputs.path(of: c.inputs.items[c.first + row])
        }
    }

    /// The outlier rows, most anomalous first, as records made on demand.
    public struct RankedOutliers: RandomAccessCollection {
        fileprivate let storage: Storage
        /// Row numbers of the outliers, ranked.
        public let rows: [Int]

        fileprivate init(storage: Storage, rows: [Int]) {
            self.storage = storage
            // Higher score first; equal scores by path, so the order does not depend on the input order.
            self.rows = rows.sorted { a, b in
                let sa = Verdicts.score(storage, a), sb = Verdicts.score(storage, b)
                return sa != sb ? sa > sb : Verdicts.path(storage, a) < Verdicts.path(storage, b)
            }
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { rows.count }
        public subscript(i: Int) -> ScoreRecord { Verdicts.record(storage, rows[i]) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .records(let r): r.count
        case .columns(let c): c.scored.count
        }
    }

    public subscript(i: Int) -> ScoreRecord { Self.record(storage, i) }

    /// Scores of the scored inputs, in input order.
    public var scores: [Double] {
        switch storage {
        case .records(let r): r.filter { $0.status == .ok }.compactMap(\.score)
        case .columns(let c): c.score.indices.filter { c.scored[$0] }.map { c.score[$0] }
        }
    }

    /// Whether input `i` was scored, and its score; without building its record.
    public func score(at i: Int) -> Double? {
        switch storage {
        case .records(let r): r[i].status == .ok ? r[i].score : nil
        case .columns(let c): c.scored[i] ? c.score[i] : nil
        }
    }

    public func isOutlier(at i: Int) -> Bool {
        switch storage {
        case .records(let r): r[i].outlier
        case .columns(let c): c.outlier[i]
        }
    }

    /// The `InputSet` position of row i, when the verdicts were made by scoring one.
    public func position(of i: Int) -> Int? {
        switch storage {
        case .records: nil
        case .columns(let c): c.first + i
        }
    }
}
