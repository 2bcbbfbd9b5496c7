import AnomalyDetection

extension RunReport.Evaluation {
    /// The report's view of a labelled evaluation.
    public init(_ e: LabelledEvaluation) {
        self.init(rocAUC: e.roc.auc, averagePrecision: e.precisionRecall.averagePrecision, confusion: e.confusion,
                  roc: e.roc.points.map { ChartPoint(x: $0.falsePositiveRate, y: $0.truePositiveRate) },
                  precisionRecall: e.precisionRecall.points.map { ChartPoint(x: $0.recall, y: $0.precision) },
                  perClass: e.perClass.map { ($0.label, $0.count, $0.flagged, $0.normal) })
    }
}
