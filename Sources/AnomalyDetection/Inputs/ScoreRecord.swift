/// The verdict on one input: every input gets one, whether it could be read or not.
public struct ScoreRecord: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case ok, error }
    public var path: String
    public var status: Status
    /// Why the input could not be scored (status == error).
    public var message: String?
    /// Reconstruction error (mean squared difference per value).
    public var error: Double?
    /// The anomaly score compared with the threshold.
    public var score: Double?
    /// Conformal p-value against the held-out normal scores.
    public var pValue: Double?
    public var outlier: Bool
    /// Known class (evaluate), from IDX labels or sub-folder names.
    public var label: String?

    public init(path: String, status: Status, message: String? = nil, error: Double? = nil, score: Double? = nil,
                pValue: Double? = nil, outlier: Bool = false, label: String? = nil) {
        self.path = path; self.status = status; self.message = message; self.error = error
        self.score = score; self.pValue = pValue; self.outlier = outlier; self.label = label
    }
}
