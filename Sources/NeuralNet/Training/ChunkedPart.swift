/// One thread's worker for a batch trained in chunks (`Sequential.trainingChunk`): its own
/// replica of the trainer's model (same weights) runs forward and backward on
/// the chunks it takes, and their gradients are kept per chunk.
final class ChunkedPart {
    let model: Sequential
    private let parameters: [Parameter]
    private let gradient = Tensor()

    init(model: Sequential) {
        self.model = model
        self.parameters = model.parameters
    }

    /// Trains on chunk `index`, rows `rows` of the batch, keeping its gradient in `sums`;
    /// returns its mean loss.
    func train(input: Tensor, target: Tensor, rows: Range<Int>, index: Int, sums: GradientSum) -> Double {
        let out = model.forwardRaw(Tensor(rowsOf: input, start: rows.lowerBound, count: rows.count), training: true)
        let loss = model.loss(rawOutput: out, target: Tensor(rowsOf: target, start: rows.lowerBound, count: rows.count),
                              grad: gradient)
        model.backward(gradient)
        sums.keep(index, from: parameters)
        return loss
    }
}
