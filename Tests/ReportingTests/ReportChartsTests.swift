import AnomalyDetection
import NeuralNet
import XCTest
@testable import Reporting

final class ReportChartsTests: XCTestCase {
    func testHistogramTurnsLogarithmicPastTwoDecades() throws {
        var report = try ReportFixture.report()
        // Held-out 0.001 … run 0.5: log10(0.5 / 0.001) ≈ 2.7 decades.
        XCTAssertTrue(ReportCharts.histogram(report).contains("log scale"))
        // Held-out 0.05 … 0.099 (threshold: rank ⌈51 · 0.9⌉ = 46, i.e. 0.095), run 0.0123 … 0.5.
        report.calibration = try Calibration.fit(scores: (50...99).map { Double($0) / 1000 }, method: .quantile(0.9))
        XCTAssertFalse(ReportCharts.histogram(report).contains("log scale"), "0.0123 … 0.5 is 1.6 decades")
        report.records[0].score = 1e-5 // 1e-5 … 0.5: 4.7 decades
        let svg = ReportCharts.histogram(report)
        _ = SVGDocument(svg)
        XCTAssertTrue(svg.contains("score (log scale)"))
        XCTAssertTrue(svg.contains("threshold 0.095 (quantile:0.9)"))
    }

    func testLegendAndThresholdLabelCoverNoBar() throws {
        let document = SVGDocument(ReportCharts.histogram(try ReportFixture.report()))
        // 720 × 380: plot from y 32 to 332; the top 30% (90 units) is kept free of bars.
        let barTops = document.elements("rect", class: "bar").compactMap { $0.number("y") }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(barTops.min()), 32 + 90 - 1e-9)
        let legend = try XCTUnwrap(document.elements("rect").first { $0.attributes["stroke"] == "#999" })
        let label = try XCTUnwrap(document.elements("text", class: "threshold-label").first)
        XCTAssertGreaterThan(label.number("y")! - 11, legend.number("y")! + legend.number("height")!, "label under the legend")
        XCTAssertLessThan(label.number("y")!, 32 + 90, "and above the bars")
    }

    func testLossCurvesNeedAHistory() throws {
        XCTAssertNil(ReportCharts.loss(TrainingHistory()))
        let svg = try XCTUnwrap(ReportCharts.loss(ReportFixture.history()))
        let document = SVGDocument(svg)
        XCTAssertEqual(document.elements("polyline").count, 2, "training and validation")
        XCTAssertEqual(document.elements("circle", class: "marker").count, 6)
    }

    func testFalseDiscoverySelectionIsNamed() throws {
        var report = try ReportFixture.report()
        report.context.selection = "fdr"
        report.context.fdrLevel = 0.05
        let facts = Dictionary(uniqueKeysWithValues: ReportText.runFacts(report))
        XCTAssertEqual(facts["Outliers chosen by"], "Benjamini–Hochberg on conformal p-values at false discovery rate 0.05")
        XCTAssertTrue(MarkdownReport.markdown(report).contains("- **Model:** models/\\<digit \\& 0\\>.safetensors"))
    }
}
