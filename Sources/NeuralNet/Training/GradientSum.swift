/// The parameter gradients of each chunk of a batch, kept apart while the chunks train on
/// either core in any order, then summed in chunk order, each weighted by its share of the
/// batch: the gradient of the batch's mean loss, the same whichever core ran which chunk.
final class GradientSum {
    /// The trainer's model's parameters, which receive the sum.
    private let parameters: [Parameter]
    /// Per chunk, a copy of every parameter's gradient.
    private var chunks: [[Tensor]] = []

    init(parameters: [Parameter]) {
        self.parameters = parameters
    }

    /// Room for `count` chunks; call before the chunks train.
    func reserve(_ count: Int) {
        while chunks.count < count { chunks.append(parameters.map { Tensor(shape: $0.grad.shape) }) }
    }

    /// Keeps the gradients the last backward left in `from` (the parameters of the model or of
    /// a replica) as chunk `index`'s.
    func keep(_ index: Int, from: [Parameter]) {
        for (p, kept) in zip(from, chunks[index]) { kept.ptr.update(from: p.grad.ptr, count: kept.count) }
    }

    /// Σ weights[c]·(gradient of chunk c), in chunk order, into the parameters' gradients.
    func store(weights: [Float]) {
        for (k, p) in parameters.enumerated() {
            let g = p.grad.ptr, first = chunks[0][k].ptr
            for i in 0..<p.count { g[i] = weights[0] * first[i] }
            for c in 1..<weights.count {
                let s = chunks[c][k].ptr, w = weights[c]
                for i in 0..<p.count { g[i] = g[i].addingProduct(w, s[i]) }
            }
        }
    }
}
