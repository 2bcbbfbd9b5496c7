import NeuralNet
import XCTest
@testable import AnomalyDetection

final class DetectorTests: XCTestCase {
    /// A small dense autoencoder: quick to train in a debug build, good enough to tell
    /// digits from checkerboards and noise.
    static let small = Architecture(name: "small", inputShape: [784],
                                    layers: [.dense(units: 32, activation: .relu), .dense(units: 784, activation: .sigmoid)],
                                    loss: .binaryCrossentropy, learningRate: 0.01, batchSize: 50, encoderLayer: 0)

    static let fitted: (Detector, NormalSamples) = {
        let pre = try! Preprocessing(for: small)
        let threes = try! NormalSamples.load(Fixtures.trainImages, labels: Fixtures.trainLabels, normalClass: "3", preprocessing: pre)
        var job = DetectorFit(architecture: small, training: TrainingOptions(for: small, epochs: 15, seed: 1), preprocessing: pre)
        job.threshold = .quantile(0.95)
        return (try! job.run(images: threes.images, count: threes.count).0, threes)
    }()

    func testSplitHoldsOutTheFractionDisjointAndRepeatably() throws {
        var job = DetectorFit(architecture: Self.small, training: TrainingOptions(for: Self.small, epochs: 1, seed: 7),
                              preprocessing: try Preprocessing(for: Self.small))
        let (train, cal) = try job.split(count: 250)
        XCTAssertEqual(cal.count, 25)
        XCTAssertEqual(train.count, 225)
        XCTAssertTrue(Set(train).isDisjoint(with: cal))
        XCTAssertEqual(Set(train + cal), Set(0..<250))
        XCTAssertEqual(try job.split(count: 250).calibration, cal)
        XCTAssertNotEqual(cal, Array(225..<250), "the held-out slice is not simply the tail of the (class-sorted) input")
        job.calibrationFraction = 0.5
        XCTAssertEqual(try job.split(count: 4).calibration.count, 2)
        XCTAssertThrowsError(try job.split(count: 3)) { e in   // 2 held out would leave 1 to train on
            XCTAssertTrue("\(e)".contains("too few"), "\(e)")
        }
    }

    func testFitCalibratesOnHeldOutScores() throws {
        let (detector, threes) = Self.fitted
        XCTAssertEqual(threes.count, 250)
        let cal = detector.calibration
        XCTAssertEqual(cal.scores.count, 25)
        // quantile:0.95 with n = 25: k = ⌈26 · 0.95⌉ = 25 → the largest held-out score.
        XCTAssertEqual(cal.threshold, cal.scores.max())
        XCTAssertEqual(detector.provenance["calibration_samples"], "25")
        XCTAssertEqual(detector.history.loss.count, 15)
        XCTAssertLessThan(detector.history.loss.last!, detector.history.loss.first!)
    }

    func testSaveLoadKeepsCalibrationAndScoresIdentically() throws {
        let (detector, threes) = Self.fitted
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("det-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try detector.save(to: url, overwrite: false)
        let loaded = try Detector.load(from: url)
        XCTAssertEqual(loaded.calibration, detector.calibration)
        XCTAssertEqual(loaded.preprocessing, detector.preprocessing)
        let some = Array(threes.images[0..<(10 * 784)])
        XCTAssertEqual(loaded.errors(some), detector.errors(some))
    }

    func testAModelFileWithoutCalibrationIsRefusedClearly() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelFile.save(try Sequential(architecture: Self.small, seed: 0), history: TrainingHistory(), to: url)
        XCTAssertThrowsError(try Detector.load(from: url)) { e in
            XCTAssertTrue("\(e)".contains("not written by `aedetect fit`"), "\(e)")
        }
    }

    func testScoringAccountsForEveryInputAndRanksPlantedAnomaliesHigh() throws {
        let (detector, _) = Self.fitted
        let inputs = try InputSet(paths: [Fixtures.digits, Fixtures.broken], labelsFromSubfolders: true)
        let records = Scorer(detector: detector).score(inputs)
        XCTAssertEqual(records.count, inputs.count)
        XCTAssertEqual(records.count, 188 + 10)
        let failed = records.filter { $0.status == .error }
        XCTAssertEqual(failed.count, 10, "every broken file is an error record")
        XCTAssertTrue(failed.allSatisfy { $0.path.contains("/broken/") && !($0.message ?? "").isEmpty })
        XCTAssertFalse(failed.contains(where: \.outlier))
        let ok = records.filter { $0.status == .ok }
        XCTAssertTrue(ok.allSatisfy { $0.score == $0.error && $0.pValue! > 0 && $0.pValue! <= 1 })
        XCTAssertEqual(ok.filter(\.outlier).count, ok.filter { $0.score! > detector.calibration.threshold }.count)
        let planted = ok.filter { $0.label == "anomalies" }
        XCTAssertEqual(planted.count, 18)
        let eval = LabelledEvaluation(records: records.filter { $0.label == "3" || $0.label == "anomalies" }, normalClass: "3")
        XCTAssertGreaterThan(eval.roc.auc!, 0.9)
    }

    func testVerdictsAccountForEveryInputAndEqualRecordsSelectedAfterwards() throws {
        let (detector, _) = Self.fitted
        let inputs = try InputSet(paths: [Fixtures.digits, Fixtures.broken], labelsFromSubfolders: true)
        for selection in [OutlierSelection.threshold, .falseDiscoveryRate(0.2)] {
            var scorer = Scorer(detector: detector, selection: selection)
            scorer.batchSize = 64  // several batches, a broken file in the last one
            let verdicts = scorer.verdicts(inputs)
            XCTAssertEqual(verdicts.map(\.path), inputs.items.map(inputs.path(of:)), "every input once, in input order")
            XCTAssertEqual(verdicts.position(of: 197), 197)
            XCTAssertEqual(verdicts.failed.count, 10)
            XCTAssertEqual(verdicts.scoredCount, 188)
            XCTAssertFalse(verdicts.outliers.isEmpty, "\(selection)")
            // The compact columns read back as the records the selection would mark afterwards.
            var records = Array(verdicts)
            for i in records.indices { records[i].outlier = false }
            selection.apply(to: &records, calibration: detector.calibration)
            XCTAssertEqual(Array(verdicts), records)
            let kept = Verdicts(records)
            XCTAssertEqual(verdicts.failed, kept.failed)
            XCTAssertEqual(Array(verdicts.outliers), Array(kept.outliers))
            XCTAssertEqual(verdicts.scores, kept.scores)
            XCTAssertEqual(verdicts.scoredCount, kept.scoredCount)
            XCTAssertTrue(verdicts.hasLabels && kept.hasLabels)
            XCTAssertEqual(verdicts.indices.map(verdicts.score(at:)), kept.indices.map(kept.score(at:)))
            XCTAssertNil(kept.position(of: 0), "records do not know their input positions")
        }
    }
}
