import Foundation

public struct LineSeries: Sendable {
    public let name: String
    public let points: [ChartPoint]
    public var dashed = false
    public init(name: String, points: [ChartPoint], dashed: Bool = false) {
        self.name = name
        self.points = points
        self.dashed = dashed
    }
}

/// Several series against a shared x (e.g. training and validation loss per epoch).
/// Points with a non-finite coordinate, or y ≤ 0 on a log y axis, are left out.
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [LineSeries]
    public var logY = false
    /// Keep x ticks at whole numbers (epochs).
    public var integerX = false
    /// Draw a dot at every point when a series has at most this many.
    public var markerLimit = 60
    public var geometry = ChartGeometry()

    public init(title: String, xLabel: String, yLabel: String, series: [LineSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    public func svg() -> String {
        let plotted = series.map { $0.points.filter(isPlottable) }
        let all = plotted.joined()
        let xs = all.map(\.x), ys = all.map(\.y)
        let xAxis = Axis.linear(covering: xs.min() ?? 0, xs.max() ?? 1, minimumStep: integerX ? 1 : 0)
        let yAxis = logY ? Axis.log(covering: ys.min() ?? 0.1, ys.max() ?? 1)
                         : Axis.linear(covering: ys.min() ?? 0, ys.max() ?? 1)
        let frame = ChartFrame(geometry: geometry, x: xAxis, y: yAxis, title: title, xLabel: xLabel,
                               yLabel: yLabel + (logY ? " (log scale)" : ""))
        var body: [String] = []
        for (s, points) in plotted.enumerated() where !points.isEmpty {
            body += marks(points, index: s, dashed: series[s].dashed, frame)
        }
        let legend = series.enumerated().map { s, line in
            LegendEntry(label: line.name, colour: SVG.colour(s), mark: line.dashed ? .dashed : .line)
        }
        return frame.render(body: body, legend: legend)
    }

    private func isPlottable(_ p: ChartPoint) -> Bool { p.x.isFinite && p.y.isFinite && (!logY || p.y > 0) }

    private func marks(_ points: [ChartPoint], index s: Int, dashed: Bool, _ frame: ChartFrame) -> [String] {
        let colour = SVG.colour(s)
        let coordinates = points.map { "\(SVG.number(frame.px($0.x))),\(SVG.number(frame.py($0.y)))" }
        var parts = ["<polyline class=\"series series-\(s)\" points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" "
            + "stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6 3\"" : "")/>"]
        if points.count <= markerLimit {
            parts += points.map {
                "<circle class=\"marker series-\(s)\" cx=\"\(SVG.number(frame.px($0.x)))\" cy=\"\(SVG.number(frame.py($0.y)))\" "
                    + "r=\"3\" fill=\"\(colour)\"/>"
            }
        }
        return parts
    }
}
