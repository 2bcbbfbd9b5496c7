import Foundation

/// A ROC or precision–recall curve with its area for the legend.
public struct Curve: Sendable {
    public let name: String
    /// ROC: (false-positive rate, true-positive rate). PR: (recall, precision), recall rising.
    public let points: [ChartPoint]
    public let area: Double?
    public init(name: String, points: [ChartPoint], area: Double?) {
        self.name = name
        self.points = points
        self.area = area
    }
}

/// ROC or precision–recall curves on the unit square.
///
/// ROC curves are joined by straight lines (the trapezoids whose area is the AUC) and drawn with
/// the chance diagonal. PR curves are drawn as the step function whose area is the average
/// precision: precision P_n holds over recall (R_{n−1}, R_n], starting from recall 0.
public struct CurveChart: Sendable {
    public enum Kind: Sendable { case roc, precisionRecall }

    public var kind: Kind
    public var title: String
    public var curves: [Curve]
    public var geometry = ChartGeometry(width: 440, height: 400)

    public init(kind: Kind, curves: [Curve], title: String? = nil) {
        self.kind = kind
        self.curves = curves
        self.title = title ?? (kind == .roc ? "ROC curve" : "Precision–recall curve")
        geometry.marginRight = 24 // room for the "1.0" tick label
    }

    public func svg() -> String {
        let unit = Axis.linear(covering: 0, 1)
        let frame = ChartFrame(geometry: geometry, x: unit, y: unit, title: title,
                               xLabel: kind == .roc ? "false-positive rate" : "recall",
                               yLabel: kind == .roc ? "true-positive rate" : "precision")
        var body: [String] = []
        if kind == .roc {
            body.append(SVG.line(frame.px(0), frame.py(0), frame.px(1), frame.py(1), stroke: "#999",
                                 extra: " stroke-dasharray=\"4 4\" class=\"diagonal\""))
        }
        for (i, curve) in curves.enumerated() {
            let path = kind == .roc ? curve.points : steps(curve.points)
            let coordinates = path.map { "\(SVG.number(frame.px($0.x))),\(SVG.number(frame.py($0.y)))" }
            body.append("<polyline class=\"curve series-\(i)\" points=\"\(coordinates.joined(separator: " "))\" "
                + "fill=\"none\" stroke=\"\(SVG.colour(i))\" stroke-width=\"2\"/>")
        }
        let areaName = kind == .roc ? "AUC" : "AP"
        let legend = curves.enumerated().map { i, curve in
            let area = curve.area.map { String(format: "%.3f", $0) } ?? "n/a"
            return LegendEntry(label: "\(curve.name) (\(areaName) \(area))", colour: SVG.colour(i), mark: .line)
        }
        // ROC curves hug the top left, PR curves the top: the bottom corners are free.
        return frame.render(body: body, legend: legend, corner: kind == .roc ? .bottomRight : .bottomLeft)
    }

    /// (0, P₁), (R₁, P₁), (R₁, P₂), (R₂, P₂), …
    private func steps(_ points: [ChartPoint]) -> [ChartPoint] {
        var path: [ChartPoint] = []
        var previousX = 0.0
        for p in points {
            path.append(ChartPoint(x: previousX, y: p.y))
            path.append(p)
            previousX = p.x
        }
        return path
    }
}
