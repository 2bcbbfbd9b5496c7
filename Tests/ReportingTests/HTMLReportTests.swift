import DataIO
import Foundation
import XCTest
@testable import Reporting

final class HTMLReportTests: XCTestCase {
    private var html = ""

    override func setUpWithError() throws {
        html = try HTMLReport.html(try ReportFixture.report())
    }

    func testChartsAreInlineSVG() {
        let svgs = matches(#"<svg[\s\S]*?</svg>"#)
        XCTAssertEqual(svgs.count, 4, "histogram, loss, ROC and PR")
        for svg in svgs { _ = SVGDocument(svg) }
        XCTAssertTrue(html.contains("class=\"threshold\""), "the threshold is drawn on the histogram")
        XCTAssertTrue(html.contains("held-out normal (n = 99)"))
        XCTAssertTrue(html.contains("validation loss"))
    }

    func testImagesAreDecodablePNGDataURIs() throws {
        let uris = matches(#"data:image/png;base64,[A-Za-z0-9+/=]+"#)
        XCTAssertEqual(uris.count, 2, "one tile for the outlier, one for the inlier")
        for uri in uris {
            let data = try XCTUnwrap(Data(base64Encoded: String(uri.dropFirst("data:image/png;base64,".count))))
            let png = try data.withUnsafeBytes { try PNG.decode($0, file: "tile", channels: 3) }
            // One row, no scale bar: 4 + 10 + 10 + 84 + 4.
            XCTAssertEqual([png.width, png.height], [264, 112])
        }
    }

    func testTextIsEscaped() {
        XCTAssertFalse(html.contains("<script"), "no path becomes markup")
        XCTAssertFalse(html.contains("<b>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.png"))
        XCTAssertTrue(html.contains("odd, &quot;quoted&quot; &lt;b&gt;&amp;name.png"))
        XCTAssertTrue(html.contains("models/&lt;digit &amp; 0&gt;.safetensors"))
    }

    func testFailedInputsTable() throws {
        let table = try XCTUnwrap(matches(#"<table class="failed">[\s\S]*?</table>"#).first)
        XCTAssertEqual(table.components(separatedBy: "<tr>").count - 1, 3, "header and two failed inputs")
        XCTAssertTrue(table.contains("truncated: &#39;IDAT&#39; &lt;missing&gt;, &quot;short&quot;"))
    }

    func testRunFactsCountsAndEvaluation() {
        XCTAssertTrue(html.contains("0.09 (quantile:0.9)"))
        XCTAssertTrue(html.contains("conv, 12,345 parameters"))
        XCTAssertTrue(html.contains("<div class=\"value\">3 (60.0% of scored)</div><div class=\"name\">Outliers</div>"))
        XCTAssertTrue(html.contains("<td>ROC AUC</td><td class=\"num\">0.8750</td>"))
        XCTAssertTrue(html.contains("<td>anomaly (true)</td><td class=\"num\">2</td><td class=\"num\">0</td>"))
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"), "nothing is fetched")
    }

    func testNoEvaluationSectionWithoutLabels() throws {
        let plain = try HTMLReport.html(try ReportFixture.report(evaluation: false))
        XCTAssertFalse(plain.contains("Evaluation against known labels"))
        XCTAssertEqual(plain.components(separatedBy: "<svg").count - 1, 2)
    }

    private func matches(_ pattern: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range, in: html)!])
        }
    }
}
