import NeuralNet

/// Keras LSTMs as ONNX LSTM nodes. Keras keeps the gates in the order i, f, c, o along the
/// 4·units axis of kernel [features, 4u], recurrent kernel [u, 4u] and bias [4u]; ONNX wants
/// i, o, f, c in W [directions, 4u, features], R [directions, 4u, u] and B [directions, 8u]
/// (input bias, then a recurrent bias, here zero). Both use sigmoid gates, tanh candidate and
/// tanh cell output, and a zero initial state. A Keras go_backwards layer inside
/// Bidirectional is ONNX's reverse direction, whose outputs ONNX also lines up with input time.
struct RecurrentGraph {
    let graph: GraphBuilder

    /// Keras gate index of each ONNX gate (i, o, f, c).
    static let kerasGate = [0, 3, 1, 2]

    func lstm(_ layer: LSTM, _ x: String) -> String {
        run([layer], units: layer.units, returnSequences: layer.returnSequences, merge: .sum, x)
    }

    func bidirectional(_ layer: Bidirectional, _ x: String) -> String {
        let f = layer.forwardLayer
        return run([f, layer.backwardLayer], units: f.units, returnSequences: f.returnSequences, merge: layer.merge, x)
    }

    /// `x` [N, T, F] → [N, T, u or 2u] (sequences) or [N, u or 2u] (last states).
    private func run(_ directions: [LSTM], units u: Int, returnSequences: Bool, merge: Bidirectional.MergeMode, _ x: String) -> String {
        let d = directions.count, features = directions[0].inputShape[1]
        let w = graph.floats(directions.flatMap { Self.gateRows($0.kernel.value, units: u) }, shape: [d, 4 * u, features], hint: "lstm_W")
        let r = graph.floats(directions.flatMap { Self.gateRows($0.recurrentKernel.value, units: u) }, shape: [d, 4 * u, u], hint: "lstm_R")
        let b = graph.floats(directions.flatMap { Self.gateBias($0.bias.value, units: u) + [Float](repeating: 0, count: 4 * u) },
                             shape: [d, 8 * u], hint: "lstm_B")
        let outputs = graph.node("LSTM", [graph.transpose(x, [1, 0, 2]), w, r, b], outputs: 2, [
            Attribute.int("hidden_size", u), Attribute.string("direction", d == 2 ? "bidirectional" : "forward")])
        let (sequence, last) = (outputs[0], outputs[1])  // [T, D, N, u], [D, N, u]
        if returnSequences {
            if merge == .sum { return graph.transpose(sumOver(sequence, axis: 1), [1, 0, 2]) }
            return graph.reshape(graph.transpose(sequence, [2, 0, 1, 3]), toItemShape: [directions[0].inputShape[0], d * u])
        }
        if merge == .sum { return sumOver(last, axis: 0) }
        return graph.reshape(graph.transpose(last, [1, 0, 2]), toItemShape: [d * u])
    }

    private func sumOver(_ x: String, axis: Int) -> String {
        graph.op("ReduceSum", x, graph.int64s([axis]), attributes: [Attribute.int("keepdims", 0)])
    }

    /// Keras [in, 4u] (gates i, f, c, o) → ONNX [4u, in] (gates i, o, f, c).
    static func gateRows(_ kernel: Tensor, units u: Int) -> [Float] {
        let inputs = kernel.shape[0], k = Array(kernel.buffer)
        var out: [Float] = []
        out.reserveCapacity(4 * u * inputs)
        for gate in kerasGate {
            for unit in 0..<u {
                for j in 0..<inputs { out.append(k[j * 4 * u + gate * u + unit]) }
            }
        }
        return out
    }

    static func gateBias(_ bias: Tensor, units u: Int) -> [Float] {
        let b = Array(bias.buffer)
        return kerasGate.flatMap { gate in b[(gate * u)..<((gate + 1) * u)] }
    }
}
