/// Parameter gradients summed over the chunks of a batch, each chunk's weighted by its share
/// of the batch: the weighted sum is the gradient of the batch's mean loss.
final class GradientSum {
    private let parameters: [Parameter]
    private let sums: [Tensor]

    init(parameters: [Parameter]) {
        self.parameters = parameters
        self.sums = parameters.map { Tensor(shape: $0.grad.shape) }
    }

    /// Adds the gradients the last backward left in the parameters, times `weight`; the first
    /// chunk of a batch overwrites what the previous batch left.
    func add(weight: Float, first: Bool) {
        for (p, sum) in zip(parameters, sums) {
            let g = p.grad.ptr, s = sum.ptr
            if first {
                for i in 0..<sum.count { s[i] = weight * g[i] }
            } else {
                for i in 0..<sum.count { s[i] = s[i].addingProduct(weight, g[i]) }
            }
        }
    }

    /// These sums plus `other`'s (the same model's other part of the batch) into the
    /// parameters' gradients, for the optimizer.
    func store(adding other: GradientSum) {
        for (p, (sum, more)) in zip(parameters, zip(sums, other.sums)) {
            let g = p.grad.ptr, s = sum.ptr, o = more.ptr
            for i in 0..<sum.count { g[i] = s[i] + o[i] }
        }
    }
}
