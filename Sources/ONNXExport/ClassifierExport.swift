import Classification
import Foundation
import NeuralNet
import ONNX
import SwiftProtobuf

/// A classifier (`finetune`) as one ONNX model: input `input` as for a detector (the network's
/// input shape with a free batch axis, preprocessed as aedetect feeds the network), output
/// `probabilities` (float32 [N, classes]: the softmax of the network's logits, the numbers
/// predictions.csv reports); the class names, in the order of the columns, and the
/// preprocessing are in the metadata.
extension ONNXExporter {
    public static let probabilitiesName = "probabilities"

    public static func serialized(_ classifier: Classifier, producerVersion: String = "") throws -> Data {
        try model(classifier, producerVersion: producerVersion).serializedData()
    }

    public static func model(_ classifier: Classifier, producerVersion: String = "") throws -> Onnx_ModelProto {
        let builder = GraphBuilder()
        let logits = try NetworkGraph(model: classifier.model, graph: builder).emit(input: inputName, codeLayer: nil).output
        builder.node("Softmax", [logits], named: [probabilitiesName])
        var g = Onnx_GraphProto()
        g.name = "aedetect-classifier-\(classifier.model.architecture.name)"
        g.node = builder.nodes
        g.initializer = builder.initializers
        g.input = [valueInfo(inputName, .float, classifier.model.inputShape)]
        g.output = [valueInfo(probabilitiesName, .float, [classifier.classes.count])]
        var m = envelope(producerVersion: producerVersion)
        m.docString = "aedetect classifier '\(classifier.model.architecture.name)': class probabilities, columns in the order of the metadata's aedetect.classes."
        m.graph = g
        m.metadataProps = try ExportMetadata.entries(classifier)
        return m
    }
}
