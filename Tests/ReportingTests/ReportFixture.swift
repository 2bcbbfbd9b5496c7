import AnomalyDetection
import Foundation
import NeuralNet
@testable import Reporting

/// A hand-made run: scored, failed and outlying inputs with awkward paths, a calibration,
/// a short training history, two 28×28 examples with known pixels and an evaluation.
enum ReportFixture {
    static let scriptPath = "<script>alert(1)</script>.png"
    static let quotedPath = "odd, \"quoted\" <b>&name.png"
    static let newlinePath = "a\nnewline.png"
    /// A Float score whose decimal form needs all nine digits.
    static let preciseScore = Double(Float(0.0123456789))

    static let records: [RunReport.Record] = [
        .init(path: "digits/0001.png", status: .ok, error: preciseScore, score: preciseScore, pValue: 0.5, outlier: false, label: "0"),
        .init(path: quotedPath, status: .error, message: "not a PNG file (bad signature)"),
        .init(path: "digits/0002.png", status: .ok, error: 0.5, score: 0.5, pValue: 0.01, outlier: true, label: "7"),
        .init(path: newlinePath, status: .ok, error: 0.2, score: 0.2, pValue: 0.01, outlier: true, label: "7"),
        .init(path: scriptPath, status: .error, message: "truncated: 'IDAT' <missing>, \"short\""),
        .init(path: "digits/0003.png", status: .ok, error: 0.05, score: 0.05, pValue: 0.4, outlier: false, label: "0"),
        .init(path: "digits/0004.png", status: .ok, error: 0.5, score: 0.5, pValue: 0.01, outlier: true, label: "3"),
    ]

    /// Paths of the outliers, most anomalous first (the two 0.5 scores by path).
    static let outlierOrder = ["digits/0002.png", "digits/0004.png", newlinePath]

    /// 99 held-out scores 0.001 … 0.099; quantile:0.9 takes rank ⌈100 · 0.9⌉ = 90, i.e. 0.09.
    static func calibration() throws -> Calibration {
        try Calibration.fit(scores: (1...99).map { Double($0) / 1000 }, method: .quantile(0.9))
    }

    static func history() -> TrainingHistory {
        var h = TrainingHistory()
        h.loss = [0.5, 0.3, 0.2]
        h.validationLoss = [0.55, 0.35, 0.25]
        h.keptEpoch = 2
        return h
    }

    /// The pixel (row 10, column 20) is white in the input and black in the reconstruction:
    /// the largest error of the report. Everywhere else the error is 0.25 or less.
    static let hotRow = 10, hotColumn = 20

    static func outlierExample() -> RunReport.Example {
        var input = [Float](repeating: 0.25, count: 28 * 28)
        var reconstruction = [Float](repeating: 0.125, count: 28 * 28)
        input[hotRow * 28 + hotColumn] = 1
        reconstruction[hotRow * 28 + hotColumn] = 0
        return .init(path: "digits/0002.png", score: 0.5, height: 28, width: 28, channels: 1,
                     input: input, reconstruction: reconstruction)
    }

    static func inlierExample() -> RunReport.Example {
        .init(path: "digits/0001.png", score: preciseScore, height: 28, width: 28, channels: 1,
              input: [Float](repeating: 0.5, count: 28 * 28), reconstruction: [Float](repeating: 0.45, count: 28 * 28))
    }

    static func evaluation() -> RunReport.Evaluation {
        .init(rocAUC: 0.875, averagePrecision: 0.8,
              confusion: ConfusionMatrix(truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 0),
              roc: [ChartPoint(x: 0, y: 0), ChartPoint(x: 0.5, y: 1), ChartPoint(x: 1, y: 1)],
              precisionRecall: [ChartPoint(x: 0.5, y: 1), ChartPoint(x: 1, y: 0.67)],
              perClass: [(label: "0", count: 2, flagged: 0, normal: true), (label: "7", count: 2, flagged: 2, normal: false)])
    }

    static func report(evaluation: Bool = true) throws -> RunReport {
        let context = RunReport.Context(command: "evaluate", modelPath: "models/<digit & 0>.safetensors", architecture: "conv",
                                        parameterCount: 12345, inputs: ["fixtures/digits", "fixtures/broken"],
                                        date: Date(timeIntervalSince1970: 1_700_000_000), toolVersion: "0.1.0")
        return RunReport(context: context, calibration: try calibration(), history: history(), records: records,
                         topOutliers: [outlierExample()], typicalInliers: [inlierExample()],
                         evaluation: evaluation ? self.evaluation() : nil)
    }
}

/// RFC 4180 reader for checking what the writers wrote: quoted fields may hold commas,
/// doubled quotes and line breaks; records end with LF or CRLF.
func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = [], fields: [String] = [], field = ""
    var quoted = false, afterQuote = false
    let scalars = Array(text.unicodeScalars)
    var i = 0
    while i < scalars.count {
        let c = scalars[i]
        if quoted {
            if c == "\"" {
                if i + 1 < scalars.count && scalars[i + 1] == "\"" { field += "\""; i += 1 } else { quoted = false; afterQuote = true }
            } else { field.unicodeScalars.append(c) }
        } else if c == "\"" && field.isEmpty && !afterQuote {
            quoted = true
        } else if c == "," {
            fields.append(field); field = ""; afterQuote = false
        } else if c == "\n" || c == "\r" {
            if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
            fields.append(field); records.append(fields); fields = []; field = ""; afterQuote = false
        } else {
            field.unicodeScalars.append(c)
        }
        i += 1
    }
    if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append(fields) }
    return records
}
