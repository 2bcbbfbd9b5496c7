import XCTest
@testable import Reporting

final class MarkdownReportTests: XCTestCase {
    func testLinksChartsAndGridsRelatively() throws {
        let md = MarkdownReport.markdown(try ReportFixture.report())
        for link in ["![score histogram](grids/scores.svg)", "![most anomalous inputs](grids/outliers.png)",
                     "![typical inliers](grids/inliers.png)", "![training and validation loss](grids/loss.svg)",
                     "![ROC curve](grids/roc.svg)", "![precision-recall curve](grids/precision_recall.svg)"] {
            XCTAssertTrue(md.contains(link), link)
        }
    }

    func testPathsCannotBreakTablesOrBecomeMarkup() throws {
        let md = MarkdownReport.markdown(try ReportFixture.report())
        XCTAssertTrue(md.contains("| \\<script\\>alert(1)\\</script\\>.png | truncated: 'IDAT' \\<missing\\>, \"short\" |"))
        XCTAssertTrue(md.contains("| 3 | a newline.png | 0.2 | 0.01 |"), "a line break in a path stays in its row")
        XCTAssertEqual(MarkdownReport.text("a|b_c*d"), "a\\|b\\_c\\*d")
    }

    func testOutlierTableIsRanked() throws {
        let md = MarkdownReport.markdown(try ReportFixture.report())
        XCTAssertTrue(md.contains("| rank | path | score | p-value |\n| --- | --- | --- | --- |\n"
            + "| 1 | digits/0002.png | 0.5 | 0.01 |\n| 2 | digits/0004.png | 0.5 | 0.01 |"))
    }
}
