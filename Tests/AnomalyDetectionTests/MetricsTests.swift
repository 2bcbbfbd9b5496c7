import XCTest
@testable import AnomalyDetection

final class MetricsTests: XCTestCase {
    // MARK: ROC

    func testROCAUCWithTies() throws {
        // Outliers 0.4, 0.8 vs normals 0.1, 0.4. Pairs: (0.4, 0.1) 1, (0.4, 0.4) ½, (0.8, ·) 1 + 1.
        // AUC = 3.5 / 4 = 0.875.
        let roc = ROCCurve(scores: [0.1, 0.4, 0.4, 0.8], labels: [false, false, true, true])
        XCTAssertEqual(try XCTUnwrap(roc.auc), 0.875, accuracy: 1e-12)
        // Points: cut +∞ (0, 0); 0.8 → TP 1, FP 0 → (0, ½); 0.4 → TP 2, FP 1 → (½, 1); 0.1 → (1, 1).
        XCTAssertEqual(roc.points.map(\.falsePositiveRate), [0, 0, 0.5, 1])
        XCTAssertEqual(roc.points.map(\.truePositiveRate), [0, 0.5, 1, 1])
        XCTAssertEqual(roc.points.map(\.cut), [.infinity, 0.8, 0.4, 0.1])
    }

    func testROCAUCAllTiedIsOneHalf() {
        XCTAssertEqual(rocAUC(scores: [0.3, 0.3, 0.3, 0.3], labels: [true, false, false, true]), 0.5)
    }

    func testROCAUCPerfectAndReversed() {
        XCTAssertEqual(rocAUC(scores: [0.1, 0.2, 0.3, 0.9], labels: [false, false, true, true]), 1)
        XCTAssertEqual(rocAUC(scores: [0.9, 0.8, 0.3, 0.1], labels: [false, false, true, true]), 0)
    }

    func testROCAUCUndefinedWithOneClass() {
        XCTAssertNil(rocAUC(scores: [0.1, 0.2], labels: [false, false]))
        XCTAssertNil(rocAUC(scores: [0.1, 0.2], labels: [true, true]))
    }

    func testROCAUCEqualsPairCountingOnTiedRandomScores() {
        var rng = TestRandom(seed: 1)
        let labels = (0..<300).map { _ in rng.uniform() < 0.3 }
        // Scores rounded to one decimal so ties are common; outliers shifted up a little.
        let scores = labels.map { (($0 ? 0.2 : 0) + rng.uniform() * 10).rounded() / 10 }
        var wins = 0.0, pairs = 0.0
        for (s1, l1) in zip(scores, labels) where l1 {
            for (s0, l0) in zip(scores, labels) where !l0 {
                wins += s1 > s0 ? 1 : (s1 == s0 ? 0.5 : 0)
                pairs += 1
            }
        }
        XCTAssertEqual(rocAUC(scores: scores, labels: labels)!, wins / pairs, accuracy: 1e-12)
    }

    // MARK: Precision–recall

    func testAveragePrecisionByHand() {
        // Cuts 0.9 (T): P 1, R 1/3; 0.8 (F): P 1/2, R 1/3; 0.7 (T): P 2/3, R 2/3; 0.6, 0.5 (F): R stays;
        // 0.4 (T): P 3/6, R 1. AP = 1/3·1 + 1/3·2/3 + 1/3·1/2 = 13/18 = 0.722222 (scikit-learn: 0.7222222).
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
        let labels = [true, false, true, false, false, true]
        XCTAssertEqual(averagePrecision(scores: scores, labels: labels)!, 13.0 / 18, accuracy: 1e-12)
    }

    func testAveragePrecisionWithTies() {
        // Cuts 0.8: TP 1, FP 0 → P 1, R ½; 0.4 (tie of one outlier and one normal): TP 2, FP 1 →
        // P 2/3, R 1; 0.1: R stays 1. AP = ½·1 + ½·2/3 = 5/6 = 0.833333 (scikit-learn: 0.8333333).
        let pr = PRCurve(scores: [0.1, 0.4, 0.4, 0.8], labels: [false, false, true, true])
        XCTAssertEqual(pr.averagePrecision!, 5.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(pr.points.map(\.recall), [0.5, 1, 1])
        XCTAssertEqual(pr.points.map(\.precision), [1, 2.0 / 3, 0.5])
        // A tie decides: [0.9 F, 0.5 T, 0.5 F, 0.1 T]. Cut 0.9: P 0, R 0; 0.5: TP 1, FP 2 → P 1/3,
        // R ½; 0.1: P ½, R 1. AP = ½·1/3 + ½·½ = 5/12 = 0.416667 (scikit-learn: 0.4166667; putting
        // the tied outlier first would give 0.5).
        XCTAssertEqual(averagePrecision(scores: [0.9, 0.5, 0.5, 0.1], labels: [false, true, false, true])!,
                       5.0 / 12, accuracy: 1e-12)
    }

    func testAveragePrecisionUndefinedWithoutOutliers() {
        XCTAssertNil(averagePrecision(scores: [0.1, 0.2], labels: [false, false]))
        XCTAssertEqual(averagePrecision(scores: [0.1, 0.2], labels: [true, true]), 1)
    }

    // MARK: Confusion

    func testConfusionMatrixAndF1() {
        // Threshold 0.35, flag score > 0.35: flagged 0.4 F, 0.5 T, 0.6 T, 0.7 F, 0.8 T → TP 3, FP 2;
        // kept 0.1 F, 0.2 F, 0.3 T → TN 2, FN 1. Precision 3/5, recall 3/4, FPR 2/4,
        // F1 = 2·0.6·0.75/(0.6 + 0.75) = 0.9/1.35 = 2/3 (= 2TP/(2TP + FP + FN) = 6/9).
        let scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
        let labels = [false, false, true, false, true, true, false, true]
        let m = ConfusionMatrix(scores: scores, labels: labels, threshold: 0.35)
        XCTAssertEqual(m, ConfusionMatrix(truePositives: 3, falsePositives: 2, trueNegatives: 2, falseNegatives: 1))
        XCTAssertEqual(m.precision, 0.6, accuracy: 1e-12)
        XCTAssertEqual(m.recall, 0.75, accuracy: 1e-12)
        XCTAssertEqual(m.falsePositiveRate, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.f1, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.accuracy, 5.0 / 8, accuracy: 1e-12)
    }

    func testScoreEqualToTheThresholdIsNotFlagged() {
        let m = ConfusionMatrix(scores: [0.4, 0.5], labels: [false, true], threshold: 0.4)
        XCTAssertEqual(m.falsePositives, 0)
        XCTAssertEqual(m.truePositives, 1)
    }

    func testZeroDivisionsGiveZero() {
        // Nothing flagged: precision 0/0 → 0, F1 0; no normals: FPR 0/0 → 0.
        let m = ConfusionMatrix(scores: [0.1, 0.2], labels: [true, true], threshold: 1)
        XCTAssertEqual(m.precision, 0)
        XCTAssertEqual(m.recall, 0)
        XCTAssertEqual(m.f1, 0)
        XCTAssertEqual(m.falsePositiveRate, 0)
    }
}
