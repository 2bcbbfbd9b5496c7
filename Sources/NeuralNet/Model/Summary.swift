/// A Keras-style model summary: one row per layer with its output shape and parameter count.
public struct ModelSummary {
    public struct Row: Equatable {
        public let name: String
        public let type: String
        public let outputShape: [Int]
        public let parameters: Int
    }

    public let title: String
    public let rows: [Row]
    /// Each convolution layer's name and the kernels it runs (`ConvAlgorithm`).
    public let kernels: [(name: String, algorithm: ConvAlgorithm)]
    public var total: Int { rows.reduce(0) { $0 + $1.parameters } }

    public init(_ model: Sequential) {
        title = model.architecture.name
        var seen: [String: Int] = [:]
        rows = zip(model.architecture.layers, model.layers).map { spec, layer in
            // Keras names layers by snake-cased class plus a counter: conv2d, conv2d_1, ...
            let base = snakeCase(spec.kerasName)
            let n = seen[base, default: 0]
            seen[base] = n + 1
            return Row(name: n == 0 ? base : "\(base)_\(n)", type: spec.kerasName,
                       outputShape: layer.outputShape, parameters: layer.parameterCount)
        }
        kernels = zip(rows, model.layers).compactMap { row, layer in
            Self.algorithm(of: layer).map { (row.name, $0) }
        }
    }

    /// The kernels of a Conv2D or Conv2DTranspose; nil for other layers.
    public static func algorithm(of layer: Layer) -> ConvAlgorithm? {
        (layer as? Conv2D)?.algorithm ?? (layer as? Conv2DTranspose)?.algorithm
    }

    /// "Kernels:" and one line per convolution layer; empty for a model without one.
    public var kernelsText: String {
        guard !kernels.isEmpty else { return "" }
        let width = kernels.map(\.name.count).max()! + 2
        return (["Kernels:"] + kernels.map { "  " + ($0.name + ":").padding(toLength: width, withPad: " ", startingAt: 0) + $0.algorithm.description })
            .joined(separator: "\n")
    }

    public var text: String {
        let header = ("Layer (type)", "Output Shape", "Param #")
        let cells = rows.map { ("\($0.name) (\($0.type))", shapeText($0.outputShape, batch: true), grouped($0.parameters)) }
        let w0 = max(header.0.count, cells.map(\.0.count).max() ?? 0) + 2
        let w1 = max(header.1.count, cells.map(\.1.count).max() ?? 0) + 2
        let w2 = max(header.2.count, cells.map(\.2.count).max() ?? 0)
        func line(_ a: String, _ b: String, _ c: String) -> String {
            a.padding(toLength: w0, withPad: " ", startingAt: 0) + b.padding(toLength: w1, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: w2 - c.count) + c
        }
        let rule = String(repeating: "=", count: w0 + w1 + w2)
        var out = ["Model: \"\(title)\"", line(header.0, header.1, header.2), rule]
        out += cells.map { line($0.0, $0.1, $0.2) }
        out += [rule, "Total params: \(grouped(total))", "Trainable params: \(grouped(total))", "Non-trainable params: 0"]
        return out.joined(separator: "\n")
    }
}

/// 454004 → "454,004".
public func grouped(_ n: Int) -> String {
    let s = String(abs(n))
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return n < 0 ? "-" + out : out
}

private func snakeCase(_ s: String) -> String {
    var out = ""
    for (i, ch) in s.enumerated() {
        if ch.isUppercase, i > 0, let prev = out.last, prev.isLowercase { out.append("_") }
        out.append(Character(ch.lowercased()))
    }
    return out.replacingOccurrences(of: "2_d", with: "2d")
}

import Foundation
