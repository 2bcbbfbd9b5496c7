import Foundation
import ONNX

/// An ONNX graph being written: nodes in order, constant tensors (initializers), and a fresh
/// name for every value, so the code that lays out a network or a score reads as a sequence
/// of operators.
final class GraphBuilder {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var counter = 0

    /// A value name not used before, `hint` followed by a number.
    func fresh(_ hint: String) -> String {
        counter += 1
        return "\(hint)_\(counter)"
    }

    /// Adds one node and returns its outputs' names (`outputs` of them, or the names given).
    @discardableResult
    func node(_ opType: String, _ inputs: [String], outputs: Int = 1, named names: [String]? = nil,
              _ attributes: [Onnx_AttributeProto] = []) -> [String] {
        var n = Onnx_NodeProto()
        n.opType = opType
        n.name = fresh(opType)
        n.input = inputs
        n.output = names ?? (0..<outputs).map { _ in fresh(opType.lowercased()) }
        n.attribute = attributes
        nodes.append(n)
        return n.output
    }

    /// A node with one output.
    func op(_ opType: String, _ inputs: String..., attributes: [Onnx_AttributeProto] = []) -> String {
        node(opType, inputs, attributes)[0]
    }

    /// A float32 constant of `shape` (row-major `values`).
    func floats(_ values: [Float], shape: [Int], hint: String = "const") -> String {
        precondition(values.count == shape.reduce(1, *), "\(hint): \(values.count) values for shape \(shape)")
        return constant(.float, shape: shape, bytes: values.withUnsafeBytes { Data($0) }, hint: hint)
    }

    /// A float64 constant of `shape`.
    func doubles(_ values: [Double], shape: [Int], hint: String = "const") -> String {
        precondition(values.count == shape.reduce(1, *), "\(hint): \(values.count) values for shape \(shape)")
        return constant(.double, shape: shape, bytes: values.withUnsafeBytes { Data($0) }, hint: hint)
    }

    /// A 1-D int64 constant (shapes, axes, pads given as inputs).
    func int64s(_ values: [Int]) -> String {
        let wide = values.map(Int64.init)
        return constant(.int64, shape: [values.count], bytes: wide.withUnsafeBytes { Data($0) }, hint: "ints")
    }

    /// A float64 scalar.
    func scalar(_ value: Double) -> String { doubles([value], shape: [], hint: "scalar") }

    /// Raw little-endian data, as ONNX's `raw_data` requires (this code runs on little-endian
    /// machines only: x86-64 and arm64).
    private func constant(_ type: Onnx_TensorProto.DataType, shape: [Int], bytes: Data, hint: String) -> String {
        var t = Onnx_TensorProto()
        t.name = fresh(hint)
        t.dataType = Int32(type.rawValue)
        t.dims = shape.map(Int64.init)
        t.rawData = bytes
        initializers.append(t)
        return t.name
    }
}

/// Node attributes.
enum Attribute {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name; a.type = .int; a.i = Int64(value)
        return a
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name; a.type = .ints; a.ints = values.map(Int64.init)
        return a
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name; a.type = .float; a.f = value
        return a
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name; a.type = .string; a.s = Data(value.utf8)
        return a
    }
}
