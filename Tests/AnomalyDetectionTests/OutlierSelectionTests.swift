import XCTest
@testable import AnomalyDetection

final class OutlierSelectionTests: XCTestCase {
    private func records(_ scores: [Double?], calibration: Calibration) -> [ScoreRecord] {
        scores.enumerated().map { i, s in
            s.map { ScoreRecord(path: "\(i)", status: .ok, error: $0, score: $0, pValue: calibration.pValue($0)) }
                ?? ScoreRecord(path: "\(i)", status: .error, message: "unreadable")
        }
    }

    func testThresholdIsStrict() throws {
        // Held-out 1…9, quantile:0.9 → k = ⌈10 · 0.9⌉ = 9 → threshold 9.
        let cal = try Calibration.fit(scores: (1...9).map(Double.init), method: .quantile(0.9))
        XCTAssertEqual(cal.threshold, 9)
        var r = records([8, 9, 9.5, nil, 20], calibration: cal)
        OutlierSelection.threshold.apply(to: &r, calibration: cal)
        XCTAssertEqual(r.map(\.outlier), [false, false, true, false, true])
    }

    func testBenjaminiHochbergOverTheBatch() throws {
        // Held-out 1…19 → p(s) = (1 + #{≥ s})/20. Scores 100, 100, 18.5, 5:
        // p = 1/20, 1/20, 2/20, 16/20. BH at α = 0.1 with m = 4: sorted p ≤ (i/4)·0.1 → 0.025, 0.05, 0.075, 0.1:
        // p(2) = 0.05 ≤ 0.05 passes, p(3) = 0.1 > 0.075 fails, p(4) = 0.8 > 0.1 → the two 100s.
        let cal = try Calibration.fit(scores: (1...19).map(Double.init), method: .quantile(0.9))
        var r = records([100, 100, 18.5, 5, nil], calibration: cal)
        XCTAssertEqual(r.compactMap(\.pValue), [0.05, 0.05, 0.1, 0.8])
        OutlierSelection.falseDiscoveryRate(0.1).apply(to: &r, calibration: cal)
        XCTAssertEqual(r.map(\.outlier), [true, true, false, false, false])
    }

    func testLabelledEvaluationByHand() throws {
        // normal "3": scores 1 (3), 2 (3), 3 (7, outlier), 4 (3, outlier), 5 (x, outlier); one unlabelled.
        var r = [("3", 1.0, false), ("3", 2, false), ("7", 3, true), ("3", 4, true), ("x", 5, true)].map {
            ScoreRecord(path: $0.0, status: .ok, error: $0.1, score: $0.1, outlier: $0.2, label: $0.0)
        }
        r.append(ScoreRecord(path: "u", status: .ok, error: 9, score: 9, outlier: true, label: nil))
        let e = LabelledEvaluation(records: r, normalClass: "3")
        // Anomalies 3 and 5 vs normals 1, 2, 4: pairs won 2 + 3 = 5 of 6 → AUC 5/6.
        XCTAssertEqual(e.roc.auc!, 5.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(e.confusion, ConfusionMatrix(truePositives: 2, falsePositives: 1, trueNegatives: 2, falseNegatives: 0))
        XCTAssertEqual(e.perClass.map(\.label), ["3", "7", "x"])
        XCTAssertEqual(e.perClass.map(\.flagged), [1, 1, 1])
        XCTAssertEqual(e.perClass.map(\.normal), [true, false, false])
    }
}
