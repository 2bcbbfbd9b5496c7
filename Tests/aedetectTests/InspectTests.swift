import XCTest

final class InspectTests: XCTestCase {
    func testPresetTotals() throws {
        for (preset, total) in [("dense", "454,004"), ("conv", "196,787"), ("lstm", "3,708"), ("denoise", "1,101")] {
            let r = try CLI.run(["inspect", "--preset", preset])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("Total params: \(total)"), "\(preset): \(r.stdout)")
        }
    }

    func testUsageErrors() throws {
        let r = try CLI.run(["inspect"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("exactly one of --preset, --arch or --model"), r.stderr)
        let unknown = try CLI.run(["inspect", "--preset", "resnet"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown preset \"resnet\""), unknown.stderr)
    }
}
