import AnomalyDetection
import Foundation
import NeuralNet

/// Everything a scoring or evaluation run produced, as the writers need it. The CLI
/// fills it; `RunFolder` writes it out (scores.csv, outliers.csv, summary.json,
/// report.html, report.md, grids/, maps/).
public struct RunReport {
    public static let schemaVersion = 1

    /// What was run: command, model, inputs, when, how outliers were chosen.
    public struct Context {
        public var command: String            // "score" or "evaluate"
        public var modelPath: String
        public var architecture: String       // preset or architecture name
        public var parameterCount: Int
        public var inputs: [String]
        public var date: Date
        public var toolVersion: String
        /// "threshold" (the calibrated one) or "fdr" (Benjamini–Hochberg at `fdrLevel`).
        public var selection: String
        public var fdrLevel: Double?
        public var shard: String?              // "K/N" when sharded
        /// `Detector.fingerprint` of the model that scored (merge checks shards against it).
        public var modelFingerprint: String?

        public init(command: String, modelPath: String, architecture: String, parameterCount: Int, inputs: [String],
                    date: Date = Date(), toolVersion: String, selection: String = "threshold", fdrLevel: Double? = nil,
                    shard: String? = nil, modelFingerprint: String? = nil) {
            self.command = command; self.modelPath = modelPath; self.architecture = architecture
            self.parameterCount = parameterCount; self.inputs = inputs; self.date = date; self.toolVersion = toolVersion
            self.selection = selection; self.fdrLevel = fdrLevel; self.shard = shard
            self.modelFingerprint = modelFingerprint
        }
    }

    /// One row of scores.csv (defined with the scoring, in AnomalyDetection).
    public typealias Record = ScoreRecord

    /// An image shown in the report: input, reconstruction, their per-pixel error.
    public struct Example {
        public var path: String
        public var score: Double
        public var height: Int
        public var width: Int
        public var channels: Int
        /// Values in [0, 1], height × width × channels.
        public var input: [Float]
        public var reconstruction: [Float]
        /// The detector's anomaly map (height × width, unbounded, larger = more anomalous); nil
        /// when maps were not asked for or the example came from a shard (merged runs have none).
        public var map: [Float]?

        public init(path: String, score: Double, height: Int, width: Int, channels: Int, input: [Float], reconstruction: [Float],
                    map: [Float]? = nil) {
            self.path = path; self.score = score; self.height = height; self.width = width; self.channels = channels
            self.input = input; self.reconstruction = reconstruction; self.map = map
        }
    }

    /// Metrics when the truth is known (evaluate): "anomaly" is the positive class.
    public struct Evaluation {
        public var rocAUC: Double?
        public var averagePrecision: Double?
        public var confusion: ConfusionMatrix
        public var roc: [ChartPoint]
        public var precisionRecall: [ChartPoint]
        /// Per known class: name, count, flagged as outlier, whether the class counts as normal.
        public var perClass: [(label: String, count: Int, flagged: Int, normal: Bool)]
        /// Anomaly maps against ground-truth masks (`evaluate --masks`).
        public var pixel: PixelMetrics?

        public init(rocAUC: Double?, averagePrecision: Double?, confusion: ConfusionMatrix, roc: [ChartPoint],
                    precisionRecall: [ChartPoint], perClass: [(label: String, count: Int, flagged: Int, normal: Bool)]) {
            self.rocAUC = rocAUC; self.averagePrecision = averagePrecision; self.confusion = confusion
            self.roc = roc; self.precisionRecall = precisionRecall; self.perClass = perClass
        }
    }

    public var context: Context
    public var calibration: Calibration
    public var history: TrainingHistory
    /// One verdict per input, in input order.
    public var verdicts: Verdicts
    /// The verdicts as an array of records (built on each read; the writers use `verdicts`).
    public var records: [Record] {
        get { Array(verdicts) }
        set { verdicts = Verdicts(newValue) }
    }
    /// The most anomalous inputs (highest score first) and a few typical inliers.
    public var topOutliers: [Example]
    public var typicalInliers: [Example]
    public var evaluation: Evaluation?
    /// Which anomaly maps the run folder gets (`maps/`, overlays in the report).
    public var maps: MapsMode = .top

    public init(context: Context, calibration: Calibration, history: TrainingHistory, records: [Record],
                topOutliers: [Example] = [], typicalInliers: [Example] = [], evaluation: Evaluation? = nil) {
        self.init(context: context, calibration: calibration, history: history, verdicts: Verdicts(records),
                  topOutliers: topOutliers, typicalInliers: typicalInliers, evaluation: evaluation)
    }

    public init(context: Context, calibration: Calibration, history: TrainingHistory, verdicts: Verdicts,
                topOutliers: [Example] = [], typicalInliers: [Example] = [], evaluation: Evaluation? = nil) {
        self.context = context; self.calibration = calibration; self.history = history; self.verdicts = verdicts
        self.topOutliers = topOutliers; self.typicalInliers = typicalInliers; self.evaluation = evaluation
    }

    public var failed: [Record] { verdicts.failed }
    /// Outliers, most anomalous first (ties by path, so the order is stable).
    public var outliers: Verdicts.RankedOutliers { verdicts.outliers }
}
