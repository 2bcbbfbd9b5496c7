import Foundation

/// Size of a chart and of the margins around its plot area, in SVG user units (pixels).
public struct ChartGeometry: Equatable, Sendable {
    public var width: Double
    public var height: Double
    public var marginLeft: Double = 64
    public var marginRight: Double = 16
    public var marginTop: Double = 32
    public var marginBottom: Double = 48

    public init(width: Double = 640, height: Double = 360) {
        self.width = width
        self.height = height
    }

    public var plotLeft: Double { marginLeft }
    public var plotRight: Double { width - marginRight }
    public var plotTop: Double { marginTop }
    public var plotBottom: Double { height - marginBottom }
    public var plotWidth: Double { plotRight - plotLeft }
    public var plotHeight: Double { plotBottom - plotTop }
}

/// A legend entry: a filled box (histogram), a line, or a dashed line.
struct LegendEntry {
    enum Mark { case box, line, dashed }
    let label: String
    let colour: String
    let mark: Mark
}

/// Corner of the plot area that holds the legend: where the data usually is not.
enum LegendCorner { case topRight, bottomRight, bottomLeft }

/// The parts every chart shares: the SVG envelope, title, axes with ticks and grid, legend.
struct ChartFrame {
    let geometry: ChartGeometry
    let x: Axis
    let y: Axis
    let title: String
    let xLabel: String
    let yLabel: String

    func px(_ value: Double) -> Double { geometry.plotLeft + x.fraction(value) * geometry.plotWidth }
    func py(_ value: Double) -> Double { geometry.plotBottom - y.fraction(value) * geometry.plotHeight }

    /// The whole SVG document: frame, then `body` (the data marks), then the legend on top.
    func render(body: [String], legend: [LegendEntry], corner: LegendCorner = .topRight) -> String {
        let g = geometry
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVG.number(g.width))\" "
            + "height=\"\(SVG.number(g.height))\" viewBox=\"0 0 \(SVG.number(g.width)) \(SVG.number(g.height))\" "
            + "font-family=\"sans-serif\" role=\"img\">"]
        parts.append("<title>\(SVG.escape(title))</title>")
        parts.append("<rect x=\"0\" y=\"0\" width=\"\(SVG.number(g.width))\" height=\"\(SVG.number(g.height))\" fill=\"white\"/>")
        parts.append(SVG.text(title, x: g.width / 2, y: 20, size: 14, extra: " font-weight=\"bold\""))
        parts += axes()
        parts += body
        parts += legendMarks(legend, corner)
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func axes() -> [String] {
        let g = geometry
        var parts: [String] = ["<g class=\"axes\">"]
        for tick in x.ticks {
            let p = px(tick)
            parts.append(SVG.line(p, g.plotTop, p, g.plotBottom, stroke: "#e5e5e5", extra: " class=\"grid\""))
            parts.append(SVG.line(p, g.plotBottom, p, g.plotBottom + 5, stroke: "#333", extra: " class=\"tick-x\""))
            parts.append(SVG.text(x.label(tick), x: p, y: g.plotBottom + 18))
        }
        for tick in y.ticks {
            let p = py(tick)
            parts.append(SVG.line(g.plotLeft, p, g.plotRight, p, stroke: "#e5e5e5", extra: " class=\"grid\""))
            parts.append(SVG.line(g.plotLeft - 5, p, g.plotLeft, p, stroke: "#333", extra: " class=\"tick-y\""))
            parts.append(SVG.text(y.label(tick), x: g.plotLeft - 8, y: p + 4, anchor: "end"))
        }
        parts.append("<rect x=\"\(SVG.number(g.plotLeft))\" y=\"\(SVG.number(g.plotTop))\" width=\"\(SVG.number(g.plotWidth))\" "
            + "height=\"\(SVG.number(g.plotHeight))\" fill=\"none\" stroke=\"#333\"/>")
        parts.append(SVG.text(xLabel, x: g.plotLeft + g.plotWidth / 2, y: g.height - 10, size: 12))
        let yMid = g.plotTop + g.plotHeight / 2
        parts.append(SVG.text(yLabel, x: 16, y: yMid, size: 12,
                              extra: " transform=\"rotate(-90 16 \(SVG.number(yMid)))\""))
        parts.append("</g>")
        return parts
    }

    static func legendHeight(rows: Int) -> Double { 16 * Double(rows) + 8 }

    /// Legend in a corner of the plot on a translucent white box.
    private func legendMarks(_ entries: [LegendEntry], _ corner: LegendCorner) -> [String] {
        guard !entries.isEmpty else { return [] }
        let rowHeight = 16.0, charWidth = 6.5
        let width = 34 + charWidth * Double(entries.map(\.label.count).max()!)
        let height = ChartFrame.legendHeight(rows: entries.count)
        let left = corner == .bottomLeft ? geometry.plotLeft + 8 : geometry.plotRight - width - 8
        let top = corner == .topRight ? geometry.plotTop + 8 : geometry.plotBottom - height - 8
        var parts = ["<g class=\"legend\">",
                     "<rect x=\"\(SVG.number(left))\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(width))\" "
                         + "height=\"\(SVG.number(height))\" fill=\"white\" "
                         + "fill-opacity=\"0.85\" stroke=\"#999\"/>"]
        for (i, entry) in entries.enumerated() {
            let y = top + 4 + rowHeight * (Double(i) + 0.5)
            switch entry.mark {
            case .box:
                parts.append("<rect x=\"\(SVG.number(left + 8))\" y=\"\(SVG.number(y - 5))\" width=\"16\" height=\"10\" "
                    + "fill=\"\(entry.colour)\" fill-opacity=\"0.5\" stroke=\"\(entry.colour)\"/>")
            case .line, .dashed:
                let dash = entry.mark == .dashed ? " stroke-dasharray=\"5 3\"" : ""
                parts.append(SVG.line(left + 8, y, left + 24, y, stroke: entry.colour, width: 2, extra: dash))
            }
            parts.append(SVG.text(entry.label, x: left + 30, y: y + 4, anchor: "start", extra: " class=\"legend-label\""))
        }
        parts.append("</g>")
        return parts
    }
}

/// A data point of a line or curve chart.
public struct ChartPoint: Equatable, Sendable {
    public let x: Double
    public let y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
