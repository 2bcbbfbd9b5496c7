import XCTest
@testable import Reporting

final class ChartTests: XCTestCase {
    // Default geometry: 640 × 360, margins left 64, right 16, top 32, bottom 48 →
    // plot x from 64 to 624 (width 560), y from 32 to 312 (height 280).

    func testHistogramBarsThresholdAndHeights() throws {
        var chart = Histogram(title: "Scores", series: [
            HistogramSeries(name: "scored", values: [0.5, 1.5, 1.5, 7.2]),
            HistogramSeries(name: "held-out normal", values: [2.5, 2.7]),
        ], threshold: ThresholdMarker(value: 2.5, label: "threshold 2.5"))
        chart.range = 0...10
        chart.bins = 10
        let doc = SVGDocument(chart.svg())
        // Series 0 fills bins 0, 1 and 7; series 1 only bin 2.
        XCTAssertEqual(doc.elements("rect", class: "series-0").count, 3)
        XCTAssertEqual(doc.elements("rect", class: "series-1").count, 1)
        // x axis 0…10 (ticks every 2), so 2.5 sits at 64 + 0.25 · 560 = 204.
        let line = try XCTUnwrap(doc.elements("line", class: "threshold").first)
        XCTAssertEqual(line.number("x1"), 204)
        XCTAssertEqual(line.number("x2"), 204)
        XCTAssertEqual(doc.elements("text", class: "threshold-label").first?.text, "threshold 2.5")
        // Shares: series 1 has 2/2 = 1 in bin 2, so the y axis is 0…1; series 0 has 2/4 = ½ in bin 1:
        // height ½ · 280 = 140, x = 64 + 0.1 · 560 = 120, width 56.
        let bin1 = try XCTUnwrap(doc.elements("rect", class: "series-0").first { $0.number("x") == 120 })
        XCTAssertEqual(bin1.number("height"), 140)
        XCTAssertEqual(bin1.number("width"), 56)
        XCTAssertEqual(doc.elements("text").filter { $0.text == "held-out normal (n = 2)" }.count, 1)
        XCTAssertEqual(doc.elements("text").map(\.text).filter { ["0", "2", "4", "6", "8", "10"].contains($0) }.count, 6)
    }

    func testLogHistogramPlacesDecadesEvenly() throws {
        var chart = Histogram(title: "log", series: [HistogramSeries(name: "s", values: [0.001, 0.01, 0.1, 1, 0, -1])],
                              threshold: ThresholdMarker(value: 0.01, label: "t"))
        chart.logX = true
        chart.bins = 3
        let doc = SVGDocument(chart.svg())
        // log₁₀ values −3, −2, −1, 0 over 3 bins: one each, 0 clamps into the last; 0 and −1 are dropped.
        XCTAssertEqual(doc.elements("rect", class: "bar").count, 3)
        XCTAssertTrue(doc.elements("text").contains { $0.text == "s (n = 4)" })
        // Axis 10⁻³…10⁰: 0.01 is one third along, 64 + 560/3 = 250.67.
        XCTAssertEqual(try XCTUnwrap(doc.elements("line", class: "threshold").first?.number("x1")), 250.67, accuracy: 0.01)
        for label in ["0.001", "0.01", "0.1", "1"] {
            XCTAssertTrue(doc.elements("text").contains { $0.text == label }, "missing tick \(label)")
        }
    }

    func testTextIsEscaped() {
        let title = "Scores <b> & 'quotes' \"too\""
        let doc = SVGDocument(Histogram(title: title, series: [HistogramSeries(name: "a<b", values: [1, 2])]).svg())
        XCTAssertEqual(doc.elements("title").first?.text, title)
        XCTAssertTrue(doc.elements("text").contains { $0.text == "a<b (n = 2)" })
    }

    func testLineChartSeriesAndPoints() throws {
        let train = (1...5).map { ChartPoint(x: Double($0), y: 1 / Double($0)) }
        let validation = (1...3).map { ChartPoint(x: Double($0), y: 1.2 / Double($0)) }
        var chart = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss",
                              series: [LineSeries(name: "training", points: train),
                                       LineSeries(name: "validation", points: validation, dashed: true)])
        chart.integerX = true
        let doc = SVGDocument(chart.svg())
        let lines = doc.elements("polyline", class: "series")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(SVGDocument.points(lines[0]).count, 5)
        XCTAssertEqual(SVGDocument.points(lines[1]).count, 3)
        XCTAssertEqual(doc.elements("circle", class: "marker").count, 8)
        // x 1…5 with ~6 ticks: step max(nice(0.8), 1) = 1, so the axis is 1…5 and epoch 1 is at the left edge.
        XCTAssertEqual(SVGDocument.points(lines[0])[0].0, 64)
        XCTAssertEqual(SVGDocument.points(lines[0])[4].0, 624)
        // y: 0.2…1.2 with step 0.2; y = 1 at 312 − (1 − 0.2)/1.0 · 280 = 88.
        XCTAssertEqual(SVGDocument.points(lines[0])[0].1, 88, accuracy: 0.01)
        XCTAssertEqual(lines[1].attributes["stroke-dasharray"], "6 3")
    }

    func testLogLineChartDropsNonPositive() {
        var chart = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss",
                              series: [LineSeries(name: "training", points: [ChartPoint(x: 1, y: 0.5),
                                                                             ChartPoint(x: 2, y: 0), ChartPoint(x: 3, y: 0.05)])])
        chart.logY = true
        let doc = SVGDocument(chart.svg())
        XCTAssertEqual(SVGDocument.points(doc.elements("polyline", class: "series")[0]).count, 2)
    }

    func testROCChart() throws {
        // ROC of scores [0.1, 0.4, 0.4, 0.8], labels [0, 0, 1, 1].
        let points = [(0.0, 0.0), (0, 0.5), (0.5, 1), (1, 1)].map { ChartPoint(x: $0.0, y: $0.1) }
        let chart = CurveChart(kind: .roc, curves: [Curve(name: "conv", points: points, area: 0.875)])
        let doc = SVGDocument(chart.svg())
        let curve = try XCTUnwrap(doc.elements("polyline", class: "curve").first)
        // Plot 64…416 wide (352; right margin 24), 32…352 high (320): (0.5, 1) → (240, 32).
        XCTAssertEqual(SVGDocument.points(curve).map { [$0.0, $0.1] }, [[64, 352], [64, 192], [240, 32], [416, 32]])
        XCTAssertEqual(doc.elements("line", class: "diagonal").count, 1)
        XCTAssertTrue(doc.elements("text").contains { $0.text == "conv (AUC 0.875)" })
    }

    func testPRChartIsAStepFunction() throws {
        // PR points (recall, precision): (½, 1), (1, ⅔), (1, ½) → path (0,1) (½,1) (½,⅔) (1,⅔) (1,½) (1,½).
        let points = [(0.5, 1.0), (1, 2.0 / 3), (1, 0.5)].map { ChartPoint(x: $0.0, y: $0.1) }
        let doc = SVGDocument(CurveChart(kind: .precisionRecall, curves: [Curve(name: "conv", points: points, area: 5.0 / 6)]).svg())
        let path = SVGDocument.points(try XCTUnwrap(doc.elements("polyline", class: "curve").first))
        XCTAssertEqual(path.count, 6)
        XCTAssertEqual(path[0].0, 64)   // starts at recall 0
        XCTAssertEqual(path[1].0, 240)  // recall ½
        XCTAssertEqual(path[1].1, path[0].1)
        XCTAssertEqual(doc.elements("line", class: "diagonal").count, 0)
        XCTAssertTrue(doc.elements("text").contains { $0.text == "conv (AP 0.833)" })
    }

    func testNiceTicks() {
        // 94 / 5 = 18.8 → step 20; 0.87 / 5 = 0.174 → step 0.2; 0.00042 / 5 → 8.4e-5 → 1e-4.
        XCTAssertEqual(Axis.linear(covering: 3, 97).ticks, [0, 20, 40, 60, 80, 100])
        let unit = Axis.linear(covering: 0, 0.87)
        XCTAssertEqual(unit.ticks.map(unit.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let small = Axis.linear(covering: 0.0001, 0.00052)
        XCTAssertEqual(small.ticks.count, 6)
        XCTAssertEqual(small.label(small.ticks[1]), "0.0002")
        XCTAssertEqual(Axis.linear(covering: 0, 0.00002).label(0.00001), "1e-5")
        XCTAssertEqual(Axis.niceStep(for: 3), 5)
        XCTAssertEqual(Axis.niceStep(for: 7), 10)
        XCTAssertEqual(Axis.niceStep(for: 0.01), 0.01)
        XCTAssertEqual(Axis.log(covering: 0.02, 0.3).ticks.map(Axis.log(covering: 0.02, 0.3).label),
                       ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
    }
}
