import XCTest
@testable import AnomalyDetection

final class ThresholdMethodTests: XCTestCase {
    func testParsesEveryMethod() throws {
        XCTAssertEqual(try ThresholdMethod(parsing: "quantile:0.99"), .quantile(0.99))
        XCTAssertEqual(try ThresholdMethod(parsing: "sigma:3"), .sigma(3))
        XCTAssertEqual(try ThresholdMethod(parsing: "contamination:0.05"), .contamination(0.05))
        XCTAssertEqual(try ThresholdMethod(parsing: "evt:0.999"), .evt(0.999))
        XCTAssertEqual(try ThresholdMethod(parsing: " Sigma:2.5 "), .sigma(2.5))
    }

    func testBareNameTakesTheMethodDefault() throws {
        XCTAssertEqual(try ThresholdMethod(parsing: "quantile"), .quantile(0.99))
        XCTAssertEqual(try ThresholdMethod(parsing: "sigma"), .sigma(3))
        XCTAssertEqual(try ThresholdMethod(parsing: "contamination"), .contamination(0.05))
        XCTAssertEqual(try ThresholdMethod(parsing: "evt"), .evt(0.999))
        XCTAssertEqual(ThresholdMethod.default, .quantile(0.99))
    }

    func testDescriptionReadsBack() throws {
        XCTAssertEqual(ThresholdMethod.quantile(0.99).description, "quantile:0.99")
        XCTAssertEqual(ThresholdMethod.sigma(3).description, "sigma:3")
        XCTAssertEqual(ThresholdMethod.contamination(0.05).description, "contamination:0.05")
        XCTAssertEqual(ThresholdMethod.evt(0.999).description, "evt:0.999")
        for method in [ThresholdMethod.quantile(0.975), .sigma(2.5), .contamination(0.5), .evt(0.9999)] {
            XCTAssertEqual(try ThresholdMethod(parsing: method.description), method)
        }
    }

    func testRejectsBadInputWithTheReason() {
        assertRejects("median:0.5", saying: "unknown threshold method 'median'")
        assertRejects("", saying: "unknown threshold method")
        assertRejects("quantile:abc", saying: "'abc' is not a finite number")
        assertRejects("quantile:", saying: "'' is not a finite number")
        assertRejects("sigma:inf", saying: "not a finite number")
        assertRejects("quantile:1", saying: "q must be in (0, 1)")
        assertRejects("quantile:0", saying: "q must be in (0, 1)")
        assertRejects("sigma:-1", saying: "k must be a positive number")
        assertRejects("contamination:0.6", saying: "c must be in (0, 0.5]")
        assertRejects("evt:0.5", saying: "q must be in (0.9, 1)")
    }

    func testCodableAsItsString() throws {
        let data = try JSONEncoder().encode([ThresholdMethod.evt(0.999)])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["evt:0.999"]"#)
        XCTAssertEqual(try JSONDecoder().decode([ThresholdMethod].self, from: data), [.evt(0.999)])
        XCTAssertThrowsError(try JSONDecoder().decode([ThresholdMethod].self, from: Data(#"["quantile:2"]"#.utf8)))
    }

    private func assertRejects(_ text: String, saying reason: String, line: UInt = #line) {
        XCTAssertThrowsError(try ThresholdMethod(parsing: text), line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(reason), "'\(message)' lacks '\(reason)'", line: line)
            XCTAssertTrue(message.contains("'\(text)'"), "'\(message)' does not quote the input", line: line)
        }
    }
}
