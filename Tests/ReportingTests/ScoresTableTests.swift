import XCTest
@testable import Reporting

final class ScoresTableTests: XCTestCase {
    func testScoresHaveOneRowPerRecordInInputOrder() throws {
        let report = try ReportFixture.report()
        let rows = parseCSV(ScoresTable.scoresCSV(report))
        XCTAssertEqual(rows.first, ["path", "status", "error", "score", "p_value", "outlier", "label", "message"])
        XCTAssertEqual(rows.count, 1 + ReportFixture.records.count)
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, ReportFixture.records.map(\.path), "awkward paths read back")
        XCTAssertTrue(rows.allSatisfy { $0.count == 8 })
        let failed = rows[2]
        XCTAssertEqual(failed, [ReportFixture.quotedPath, "error", "", "", "", "", "", "not a PNG file (bad signature)"])
        XCTAssertEqual(rows[3], ["digits/0002.png", "ok", "0.5", "0.5", "0.01", "true", "7", ""])
        XCTAssertEqual(rows[1][5], "false")
    }

    func testNumbersRoundTripAFloatScore() throws {
        let rows = parseCSV(ScoresTable.scoresCSV(try ReportFixture.report()))
        let printed = rows[1][3]
        XCTAssertEqual(printed, "0.0123456791")
        XCTAssertEqual(Float(Double(printed)!), Float(ReportFixture.preciseScore))
    }

    func testLabelColumnOnlyWhenSomeRecordHasALabel() throws {
        var report = try ReportFixture.report()
        for i in report.records.indices { report.records[i].label = nil }
        XCTAssertEqual(parseCSV(ScoresTable.scoresCSV(report)).first,
                       ["path", "status", "error", "score", "p_value", "outlier", "message"])
    }

    func testOutliersAreRankedMostAnomalousFirst() throws {
        let rows = parseCSV(ScoresTable.outliersCSV(try ReportFixture.report()))
        XCTAssertEqual(rows.first, ["rank", "path", "status", "error", "score", "p_value", "outlier", "label", "message"])
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, ["1", "2", "3"])
        XCTAssertEqual(rows.dropFirst().map { $0[1] }, ReportFixture.outlierOrder)
        let scores = rows.dropFirst().map { Double($0[4])! }
        XCTAssertEqual(scores, scores.sorted(by: >))
    }

    func testNoOutliersGivesTheHeaderOnly() throws {
        var report = try ReportFixture.report()
        for i in report.records.indices { report.records[i].outlier = false }
        XCTAssertEqual(parseCSV(ScoresTable.outliersCSV(report)).count, 1)
    }
}
