import XCTest
@testable import Reporting

final class CSVWriterTests: XCTestCase {
    func testFieldQuoting() {
        XCTAssertEqual(CSVWriter.field("plain/path.png"), "plain/path.png")
        XCTAssertEqual(CSVWriter.field(""), "")
        XCTAssertEqual(CSVWriter.field("a,b.png"), "\"a,b.png\"")
        XCTAssertEqual(CSVWriter.field("say \"hi\".png"), "\"say \"\"hi\"\".png\"")
        XCTAssertEqual(CSVWriter.field("two\nlines"), "\"two\nlines\"")
        XCTAssertEqual(CSVWriter.field("crlf\r\nname"), "\"crlf\r\nname\"") // "\r\n" is one Swift Character
        XCTAssertEqual(CSVWriter.field("cr\ronly"), "\"cr\ronly\"")
        XCTAssertEqual(CSVWriter.field(" padded"), "\" padded\"")
        XCTAssertEqual(CSVWriter.field("\""), "\"\"\"\"")
        XCTAssertEqual(CSVWriter.field("naïve 数字.png"), "naïve 数字.png")
    }

    func testRecordsAndLineEndings() {
        var csv = CSVWriter(header: ["path", "status", "score"])
        csv.append(["a,b.png", "ok", "0.5"])
        csv.append(["c.png", "error", ""])
        XCTAssertEqual(csv.text, "path,status,score\n\"a,b.png\",ok,0.5\nc.png,error,\n")
        var strict = CSVWriter(lineEnding: "\r\n")
        strict.append(["x", "y\"z"])
        XCTAssertEqual(strict.text, "x,\"y\"\"z\"\r\n")
    }
}
