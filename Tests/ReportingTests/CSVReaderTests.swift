import AnomalyDetection
import Foundation
import XCTest
@testable import Reporting

final class CSVReaderTests: XCTestCase {
    func testReadsBackWhatTheWriterWrites() throws {
        let rows = [["path", "message"], ["plain", ""], ["a,b", "say \"hi\""], ["line\nbreak", " padded "], ["cr\r\nlf", "é ✓"]]
        for ending in ["\n", "\r\n"] {
            var w = CSVWriter(lineEnding: ending)
            for r in rows { w.append(r) }
            XCTAssertEqual(try CSVReader.parse(w.text), rows, "line ending \(ending.debugDescription)")
        }
    }

    func testRFC4180Details() throws {
        XCTAssertEqual(try CSVReader.parse("a,b\n1,2"), [["a", "b"], ["1", "2"]], "last record without a line break")
        XCTAssertEqual(try CSVReader.parse("a,\n,\"\""), [["a", ""], ["", ""]], "empty fields, quoted or not")
        XCTAssertEqual(try CSVReader.parse(""), [])
        XCTAssertEqual(try CSVReader.parse("\"x\"\"\"\n"), [["x\""]])
    }

    func testMalformedInputNamesTheLine() {
        XCTAssertThrowsError(try CSVReader.parse("a,b\n1,\"open\n2,3\n")) { XCTAssertEqual($0 as? CSVError, CSVError(line: 2, reason: "a quoted field is never closed")) }
        XCTAssertThrowsError(try CSVReader.parse("a\nx\"y\n")) { XCTAssertEqual(($0 as? CSVError)?.line, 2) }
        XCTAssertThrowsError(try CSVReader.parse("\"a\"b,c\n")) { XCTAssertEqual(($0 as? CSVError)?.reason, "text after a closing quote") }
    }

    /// scores.csv of the hand-made report (quotes, commas, a newline in a path, errors) reads back
    /// into the same records, numbers to the nine printed digits (a Float exactly), and writing
    /// what was read gives the same file byte for byte (what a merge of shards relies on).
    func testScoresCSVRoundTrips() throws {
        var report = try ReportFixture.report()
        let text = ScoresTable.scoresCSV(report)
        let back = try ScoresTable.records(fromCSV: text, file: "scores.csv")
        func float(_ r: ScoreRecord) -> ScoreRecord {
            var r = r
            r.error = r.error.map { Double(Float($0)) }; r.score = r.score.map { Double(Float($0)) }
            return r
        }
        XCTAssertEqual(back.map(float), report.records.map(float))
        XCTAssertEqual(back[0].score!, 0.0123456791)
        report.records = back
        XCTAssertEqual(ScoresTable.scoresCSV(report), text)
        XCTAssertThrowsError(try ScoresTable.records(fromCSV: "path,status\nx,ok\n", file: "s.csv")) {
            XCTAssertTrue("\($0)".hasPrefix("s.csv: no \"error\" column"), "\($0)")
        }
        XCTAssertThrowsError(try ScoresTable.records(fromCSV: ScoresTable.scoresCSV(report).replacingOccurrences(of: ",ok,", with: ",maybe,"), file: "s.csv")) {
            XCTAssertTrue("\($0)".contains("neither ok nor error"), "\($0)")
        }
    }

    func testStoredExamplesKeepThePixelsExactly() throws {
        let e = ReportFixture.outlierExample()
        let back = try XCTUnwrap(StoredExample(e).example)
        XCTAssertEqual(back.input, e.input)
        XCTAssertEqual(back.reconstruction, e.reconstruction)
        XCTAssertEqual(back.path, e.path)
    }
}
