import Foundation

public struct HistogramSeries: Sendable {
    public let name: String
    public let values: [Double]
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// A labelled vertical line across a chart, such as the outlier threshold.
public struct ThresholdMarker: Sendable {
    public let value: Double
    public let label: String
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// Overlaid histograms of scores (e.g. scored inputs and held-out normal scores), semi-transparent
/// so both stay visible, with an optional threshold line.
///
/// All series share the same bins: `bins` equal widths (in log₁₀ units when `logX`) spanning the
/// values and the threshold, or `range` when given (values outside it are not drawn). With
/// `logX`, values ≤ 0 cannot be placed and are left out; non-finite values always are.
/// Bars show each series' share of its own values when `normalized` (so a 600-score calibration
/// set and 10,000 scored inputs are comparable), else counts.
public struct Histogram: Sendable {
    public var title: String
    public var xLabel = "score"
    public var series: [HistogramSeries]
    public var threshold: ThresholdMarker?
    public var bins = 40
    public var logX = false
    public var normalized = true
    public var range: ClosedRange<Double>?
    /// Share of the plot height kept free above the tallest bar, so the legend covers no bar.
    public var headroom = 0.0
    public var geometry = ChartGeometry()

    public init(title: String, series: [HistogramSeries], threshold: ThresholdMarker? = nil) {
        self.title = title
        self.series = series
        self.threshold = threshold
    }

    public func svg() -> String {
        let plotted = series.map { $0.values.filter(isPlottable) }
        let (lo, hi) = binRange(plotted)
        let heights = plotted.map { barHeights($0, lo, hi) }
        let xAxis = logX ? Axis.log(covering: pow(10, lo), pow(10, hi)) : Axis.linear(covering: lo, hi)
        let tallest = max(heights.joined().max() ?? 0, normalized ? 0.01 : 1)
        let yAxis = Axis.linear(covering: 0, tallest / (1 - min(max(headroom, 0), 0.9)))
        let frame = ChartFrame(geometry: geometry, x: xAxis, y: yAxis, title: title, xLabel: xLabel + (logX ? " (log scale)" : ""),
                               yLabel: normalized ? "share of series" : "count")
        var body: [String] = []
        for (s, h) in heights.enumerated() { body += bars(h, series: s, lo, hi, frame) }
        var legend = zip(series, plotted).enumerated().map { s, pair in
            LegendEntry(label: "\(pair.0.name) (n = \(pair.1.count))", colour: SVG.colour(s), mark: .box)
        }
        if let t = threshold, isPlottable(t.value) {
            body += thresholdMarks(t, frame, below: legend.count + 1)
            legend.append(LegendEntry(label: t.label, colour: Histogram.thresholdColour, mark: .dashed))
        }
        return frame.render(body: body, legend: legend)
    }

    static let thresholdColour = "#D55E00"

    private func isPlottable(_ v: Double) -> Bool { v.isFinite && (!logX || v > 0) }
    private func transform(_ v: Double) -> Double { logX ? log10(v) : v }
    private func untransform(_ t: Double) -> Double { logX ? pow(10, t) : t }

    /// Ends of the binned interval in transformed units.
    private func binRange(_ plotted: [[Double]]) -> (Double, Double) {
        if let r = range { return (transform(r.lowerBound), transform(r.upperBound)) }
        var all = plotted.joined().map(transform)
        if let t = threshold?.value, isPlottable(t) { all.append(transform(t)) }
        guard let lo = all.min(), let hi = all.max() else { return logX ? (-1, 0) : (0, 1) }
        return hi > lo ? (lo, hi) : (lo - 0.5, hi + 0.5)
    }

    /// Per-bin count or share; the maximum value falls in the last bin.
    private func barHeights(_ values: [Double], _ lo: Double, _ hi: Double) -> [Double] {
        var counts = [Double](repeating: 0, count: bins)
        for v in values {
            let t = transform(v)
            guard t >= lo && t <= hi else { continue }
            counts[min(Int((t - lo) / (hi - lo) * Double(bins)), bins - 1)] += 1
        }
        let total = normalized ? Double(max(values.count, 1)) : 1
        return counts.map { $0 / total }
    }

    private func bars(_ heights: [Double], series s: Int, _ lo: Double, _ hi: Double, _ frame: ChartFrame) -> [String] {
        let width = (hi - lo) / Double(bins)
        let colour = SVG.colour(s)
        return heights.indices.filter { heights[$0] > 0 }.map { i in
            let x0 = frame.px(untransform(lo + Double(i) * width)), x1 = frame.px(untransform(lo + Double(i + 1) * width))
            let top = frame.py(heights[i])
            return "<rect class=\"bar series-\(s)\" x=\"\(SVG.number(x0))\" y=\"\(SVG.number(top))\" "
                + "width=\"\(SVG.number(x1 - x0))\" height=\"\(SVG.number(frame.geometry.plotBottom - top))\" "
                + "fill=\"\(colour)\" fill-opacity=\"0.5\" stroke=\"\(colour)\" stroke-width=\"0.5\"/>"
        }
    }

    /// The dashed line, and its label under the legend of `legendRows` rows (top right), on the
    /// side of the line with more room; a white halo keeps the label readable over bars.
    private func thresholdMarks(_ t: ThresholdMarker, _ frame: ChartFrame, below legendRows: Int) -> [String] {
        let g = frame.geometry, x = frame.px(t.value)
        let labelY = g.plotTop + ChartFrame.legendHeight(rows: legendRows) + 8 + 14
        let right = x < g.plotLeft + 0.5 * g.plotWidth
        return [SVG.line(x, g.plotTop, x, g.plotBottom, stroke: Histogram.thresholdColour, width: 2,
                         extra: " stroke-dasharray=\"6 3\" class=\"threshold\""),
                SVG.text(t.label, x: right ? x + 4 : x - 4, y: labelY, anchor: right ? "start" : "end",
                         extra: " fill=\"\(Histogram.thresholdColour)\" stroke=\"white\" stroke-width=\"3\" "
                             + "paint-order=\"stroke\" class=\"threshold-label\"")]
    }
}
