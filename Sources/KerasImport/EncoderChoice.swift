import NeuralNet

/// Which layer of an imported model is its encoder (its output the code `encode` writes and a
/// latent scoring term uses). A Keras file does not say, so:
/// 1. the last layer (before the output layer) whose Keras name, within the models nested around it
///    (`encoder/dense_1`), has a word `encoder`, `encoded`, `encoding`, `bottleneck`, `latent` or
///    `code` (words split at anything not a letter), else
/// 2. the narrowest layer (fewest output values) before the output layer, when it is narrower than
///    the input; the first of equally narrow layers, carried on through Flatten and Reshape
///    layers right after it (the same numbers in another shape), else
/// 3. none (the model has no bottleneck: the denoise preset).
/// On the chapter's models this gives the presets' encoders: dense → the 100-unit Dense, conv →
/// the 14×14×1 Reshape after the 196-unit Dense, lstm → the first Bidirectional, denoise → none.
public enum EncoderChoice {
    static let words: Set<String> = ["encoder", "encoded", "encoding", "bottleneck", "latent", "code"]

    public static func choose(names: [String], layers: [Layer], inputShape: [Int]) -> (index: Int?, reason: String) {
        let candidates = 0..<max(layers.count - 1, 0)
        if let named = candidates.last(where: { isCodeName(names[$0]) }) {
            return (named, "named \"\(names[named])\"")
        }
        let sizes = layers.map { Tensor.elementCount($0.outputShape) }
        guard let narrowest = candidates.min(by: { sizes[$0] < sizes[$1] }),
              sizes[narrowest] < Tensor.elementCount(inputShape) else {
            return (nil, "no layer before the output is narrower than the input")
        }
        var chosen = narrowest
        while chosen + 1 < layers.count - 1, layers[chosen + 1] is Flatten || layers[chosen + 1] is Reshape,
              sizes[chosen + 1] == sizes[narrowest] {
            chosen += 1
        }
        return (chosen, "the narrowest layer (\(sizes[narrowest]) values)")
    }

    static func isCodeName(_ name: String) -> Bool {
        let parts = name.lowercased().split { !$0.isLetter }.map(String.init)
        return parts.contains { words.contains($0) }
    }
}
