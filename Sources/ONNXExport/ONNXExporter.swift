import AnomalyDetection
import Foundation
import NeuralNet
import ONNX
import SwiftProtobuf

/// A detector as one ONNX model: input `input` (float32, the network's input shape with a free
/// batch axis, preprocessed as aedetect feeds the network; for a tiled model the whole image
/// [N, H, W, C], cut into tiles and stitched back inside the graph), outputs `reconstruction`
/// (the network's output, or the stitched image) and `score` (float64 [N], the score scores.csv
/// reports), with standard operators of the default domain only. What a service needs around it
/// (threshold, calibration, preprocessing) is in the model's metadata (`ExportMetadata`).
public enum ONNXExporter {
    /// Opset 17: every operator used here in the form it has there (ReduceMean with `axes` as
    /// an attribute, ReduceSum, Split, Slice and Reshape with tensor inputs).
    public static let opset: Int64 = 17
    /// IR version 8, the one that goes with opset 17.
    public static let irVersion: Int64 = 8
    public static let inputName = "input", reconstructionName = "reconstruction", scoreName = "score"

    /// True when the model file at `url` is a classifier's (`finetune`), not a detector's.
    public static func isClassifier(_ url: URL) throws -> Bool {
        try ModelFile.load(from: url).extra["classifier"] != nil
    }

    /// The serialized model (protobuf binary).
    public static func serialized(_ detector: Detector, producerVersion: String = "") throws -> Data {
        try model(detector, producerVersion: producerVersion).serializedData()
    }

    /// `producerVersion`: the version of aedetect writing the file (the CLI's).
    public static func model(_ detector: Detector, producerVersion: String = "") throws -> Onnx_ModelProto {
        try checkExpressible(detector)
        var m = envelope(producerVersion: producerVersion)
        m.docString = "aedetect detector '\(detector.model.architecture.name)': reconstruction and anomaly score (\(detector.scoring)); an input is an outlier when score > threshold (metadata)."
        m.graph = try graph(detector)
        m.metadataProps = try ExportMetadata.entries(detector)
        return m
    }

    /// A model with the IR version, opset and producer set.
    static func envelope(producerVersion: String) -> Onnx_ModelProto {
        var m = Onnx_ModelProto()
        m.irVersion = irVersion
        var opsetID = Onnx_OperatorSetIdProto()
        opsetID.domain = ""
        opsetID.version = opset
        m.opsetImport = [opsetID]
        m.producerName = "aedetect"
        m.producerVersion = producerVersion
        return m
    }

    /// The network (tile by tile for a tiled model) and the score, from `input` to the outputs.
    static func graph(_ detector: Detector) throws -> Onnx_GraphProto {
        let builder = GraphBuilder()
        let p = detector.preprocessing
        let network = NetworkGraph(model: detector.model, graph: builder)
        let reconstruction: String, code: String?
        if let grid = p.grid {
            let tiles = TileGraph(graph: builder, grid: grid)
            (reconstruction, code) = (tiles.stitch(try network.emit(input: tiles.cut(inputName), codeLayer: nil).output), nil)
        } else {
            (reconstruction, code) = try network.emit(input: inputName, codeLayer: detector.latent?.layer)
        }
        let score = try ScoreGraph(graph: builder, height: p.height, width: p.width, channels: p.channels)
            .score(input: inputName, reconstruction: reconstruction, code: code, rule: detector.scoring,
                   latent: detector.latent, mix: detector.mix)
        builder.node("Identity", [reconstruction], named: [reconstructionName])
        builder.node("Identity", [score], named: [scoreName])

        var g = Onnx_GraphProto()
        g.name = "aedetect-\(detector.model.architecture.name)"
        g.node = builder.nodes
        g.initializer = builder.initializers
        let shape = p.grid == nil ? detector.model.inputShape : [p.height, p.width, p.channels]
        g.input = [valueInfo(inputName, .float, shape)]
        g.output = [valueInfo(reconstructionName, .float, shape), valueInfo(scoreName, .double, [])]
        return g
    }

    /// Refuses, naming it, what the graph cannot reproduce exactly.
    static func checkExpressible(_ detector: Detector) throws {
        let p = detector.preprocessing, rule = detector.scoring
        if p.grid != nil && detector.latent != nil {
            throw ONNXExportError.notExpressible("a tiled model has no single code per image for the +latent term")
        }
        if rule.kind == .zmap {
            let terms = ZMapGraph.termCount(channels: p.channels, colourPrior: !rule.colourCounts.isEmpty)
            guard rule.statistics.count == 2 * terms else {
                throw ONNXExportError.notExpressible("the zmap score has \(rule.statistics.count / 2) fitted term statistics for \(terms) terms")
            }
            guard ZMapGraph.fits(height: p.height, width: p.width) else {
                throw ONNXExportError.notExpressible("the zmap score's mirrored blurs are wider than a \(p.height)×\(p.width) image")
            }
        }
    }

    /// A float tensor's name, type and shape with a free batch axis `N` in front.
    static func valueInfo(_ name: String, _ type: Onnx_TensorProto.DataType, _ itemShape: [Int]) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        shape.dim = [batch] + itemShape.map { n in
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimValue = Int64(n)
            return d
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(type.rawValue)
        tensor.shape = shape
        var t = Onnx_TypeProto()
        t.tensorType = tensor
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = t
        return info
    }
}
