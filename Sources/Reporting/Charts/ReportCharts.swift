import NeuralNet
import Foundation

/// The SVG charts of a report, shared by report.html and the files report.md links to.
public enum ReportCharts {
    /// Scores of this run over the held-out normal scores, with the threshold. The x axis is
    /// logarithmic when the positive scores span more than two decades.
    public static func histogram(_ report: RunReport) -> String {
        let run = report.verdicts.scores
        let calibration = report.calibration
        var chart = Histogram(
            title: "Scores of this run and of held-out normal data",
            series: [HistogramSeries(name: "this run", values: run),
                     HistogramSeries(name: "held-out normal", values: calibration.scores)],
            threshold: ThresholdMarker(value: calibration.threshold,
                                       label: "threshold \(Format.short(calibration.threshold)) (\(calibration.method))"))
        chart.logX = spansDecades(run + calibration.scores + [calibration.threshold], 2)
        chart.geometry = ChartGeometry(width: 720, height: 380)
        chart.headroom = 0.3
        return chart.svg()
    }

    /// Training and validation loss per epoch (1-based), or nil without a history.
    public static func loss(_ history: TrainingHistory) -> String? {
        guard !history.loss.isEmpty || !history.validationLoss.isEmpty else { return nil }
        func points(_ values: [Double]) -> [ChartPoint] {
            values.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
        }
        var series = [LineSeries(name: "training loss", points: points(history.loss))]
        if !history.validationLoss.isEmpty {
            series.append(LineSeries(name: "validation loss", points: points(history.validationLoss), dashed: true))
        }
        var chart = LineChart(title: "Training history", xLabel: "epoch", yLabel: "loss", series: series)
        chart.integerX = true
        chart.logY = spansDecades(history.loss + history.validationLoss, 1)
        return chart.svg()
    }

    public static func roc(_ evaluation: RunReport.Evaluation) -> String {
        CurveChart(kind: .roc, curves: [Curve(name: "detector", points: evaluation.roc, area: evaluation.rocAUC)]).svg()
    }

    public static func precisionRecall(_ evaluation: RunReport.Evaluation) -> String {
        CurveChart(kind: .precisionRecall,
                   curves: [Curve(name: "detector", points: evaluation.precisionRecall, area: evaluation.averagePrecision)]).svg()
    }

    /// Whether the positive finite values span more than `decades` powers of ten.
    static func spansDecades(_ values: [Double], _ decades: Double) -> Bool {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        guard let lo = positive.min(), let hi = positive.max() else { return false }
        return log10(hi / lo) > decades
    }
}
