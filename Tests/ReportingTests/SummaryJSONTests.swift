import Foundation
import XCTest
@testable import Reporting

final class SummaryJSONTests: XCTestCase {
    private func summary(evaluation: Bool = true) throws -> [String: Any] {
        let data = try SummaryJSON.data(try ReportFixture.report(evaluation: evaluation))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testDocumentedKeysAndCounts() throws {
        let json = try summary()
        XCTAssertEqual(Set(json.keys), ["schema_version", "context", "counts", "threshold", "scores", "evaluation",
                                        "failed", "outliers", "files"])
        XCTAssertEqual(json["schema_version"] as? Int, 1)
        let counts = try XCTUnwrap(json["counts"] as? [String: Int])
        XCTAssertEqual(counts, ["inputs": 7, "scored": 5, "failed": 2, "outliers": 3])
        let context = try XCTUnwrap(json["context"] as? [String: Any])
        XCTAssertEqual(Set(context.keys), ["command", "model", "architecture", "parameters", "inputs", "date",
                                           "tool_version", "selection", "fdr_level", "shard", "model_fingerprint"])
        XCTAssertEqual(context["date"] as? String, "2023-11-14T22:13:20Z")
        XCTAssertEqual(context["parameters"] as? Int, 12345)
        XCTAssertTrue(context["fdr_level"] is NSNull)
    }

    func testThresholdAndCalibration() throws {
        let threshold = try XCTUnwrap(try summary()["threshold"] as? [String: Any])
        XCTAssertEqual(threshold["value"] as? Double, 0.09)
        XCTAssertEqual(threshold["method"] as? String, "quantile:0.9")
        XCTAssertEqual(threshold["false_positive_bound"] as? Double ?? 0, 10.0 / 100, accuracy: 1e-12)
        let calibration = try XCTUnwrap(threshold["calibration"] as? [String: Any])
        XCTAssertEqual(calibration["n"] as? Int, 99)
        XCTAssertEqual(calibration["median"] as? Double, 0.05)
        XCTAssertEqual(calibration["max"] as? Double, 0.099)
    }

    func testRunScoresFailedAndOutliers() throws {
        let json = try summary()
        let scores = try XCTUnwrap(json["scores"] as? [String: Any])
        XCTAssertEqual(scores["n"] as? Int, 5)
        XCTAssertEqual(scores["max"] as? Double, 0.5)
        let failed = try XCTUnwrap(json["failed"] as? [[String: String]])
        XCTAssertEqual(failed.map { $0["path"]! }, [ReportFixture.quotedPath, ReportFixture.scriptPath])
        let outliers = try XCTUnwrap(json["outliers"] as? [[String: Any]])
        XCTAssertEqual(outliers.map { $0["rank"] as? Int }, [1, 2, 3])
        XCTAssertEqual(outliers.map { $0["path"] as? String }, ReportFixture.outlierOrder)
        let files = try XCTUnwrap(json["files"] as? [String: Any])
        XCTAssertEqual(files["grids"] as? [String], ["grids/outliers.png", "grids/inliers.png"])
        XCTAssertEqual(files["charts"] as? [String], ["grids/scores.svg", "grids/loss.svg", "grids/roc.svg",
                                                      "grids/precision_recall.svg"])
    }

    func testEvaluation() throws {
        let evaluation = try XCTUnwrap(try summary()["evaluation"] as? [String: Any])
        XCTAssertEqual(evaluation["roc_auc"] as? Double, 0.875)
        XCTAssertEqual(evaluation["precision"] as? Double ?? 0, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(evaluation["recall"] as? Double, 1)
        XCTAssertEqual(evaluation["f1"] as? Double ?? 0, 0.8, accuracy: 1e-12)
        XCTAssertEqual(evaluation["false_positive_rate"] as? Double, 0.5)
        XCTAssertEqual(evaluation["confusion"] as? [String: Int],
                       ["true_positives": 2, "false_positives": 1, "true_negatives": 1, "false_negatives": 0])
        let perClass = try XCTUnwrap(evaluation["per_class"] as? [[String: Any]])
        XCTAssertEqual(perClass.map { $0["label"] as? String }, ["0", "7"])
        XCTAssertEqual(perClass.map { $0["normal"] as? Bool }, [true, false])
    }

    func testWithoutEvaluationTheKeyIsNull() throws {
        XCTAssertTrue(try summary(evaluation: false)["evaluation"] is NSNull)
    }
}
