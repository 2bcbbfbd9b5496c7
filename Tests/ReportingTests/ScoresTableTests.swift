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

    func testStreamedScoresEqualTheWholeTextWrittenTheOldWay() throws {
        let report = try ReportFixture.report()
        var old = CSVWriter(header: ScoresTable.columns(withLabel: true))
        for r in report.records {
            func number(_ x: Double?) -> String { x.map { String(format: "%.9g", $0) } ?? "" }
            old.append([r.path, r.status.rawValue, number(r.error), number(r.score), number(r.pValue),
                        r.status == .ok ? String(r.outlier) : "", r.label ?? "", r.message ?? ""])
        }
        XCTAssertEqual(ScoresTable.scoresCSV(report), old.text)
        for chunk in [1, 7, 1 << 16] {
            var pieces: [[UInt8]] = []
            ScoresTable.writeScores(report, chunk: chunk) { pieces.append(Array($0)) }
            XCTAssertEqual(String(decoding: pieces.joined(), as: UTF8.self), old.text, "chunk \(chunk)")
            XCTAssertEqual(pieces.count > 1, chunk < old.text.utf8.count)
        }
    }

    func testExactNumbersPrintAsPrintfDoes() {
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-5, 123456789, 1.5e300, 4.9e-324, .pi, .nan, .infinity, -.infinity,
                                Double(Float.leastNonzeroMagnitude), Double(Float.greatestFiniteMagnitude)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            values.append(Double(Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))))
            values.append(Double.random(in: -1e6...1e6, using: &generator))
        }
        for x in values { XCTAssertEqual(Format.exact(x), String(format: "%.9g", x), "\(x)") }
    }
}
