/// A part of a batch trained in chunks (`Sequential.trainingChunk`) on one core: its own
/// model (the trainer's, or a replica with the same weights) runs forward and backward chunk
/// after chunk, and its gradients are summed, each chunk's weighted by its share of the batch.
final class ChunkedPart {
    let model: Sequential
    let gradientSum: GradientSum
    private let gradient = Tensor()

    init(model: Sequential) {
        self.model = model
        self.gradientSum = GradientSum(parameters: model.parameters)
    }

    /// Trains on rows `samples` of a batch, in chunks of `chunk` rows; returns their share of
    /// the batch's mean loss and leaves their share of its gradient in `gradientSum`.
    func train(input: Tensor, target: Tensor, samples: Range<Int>, chunk: Int) -> Double {
        let batch = Double(target.batch)
        var loss = 0.0
        for start in stride(from: samples.lowerBound, to: samples.upperBound, by: chunk) {
            let m = min(chunk, samples.upperBound - start), weight = Double(m) / batch
            let out = model.forwardRaw(Tensor(rowsOf: input, start: start, count: m), training: true)
            loss += weight * model.loss(rawOutput: out, target: Tensor(rowsOf: target, start: start, count: m),
                                        grad: gradient)
            model.backward(gradient)
            gradientSum.add(weight: Float(weight), first: start == samples.lowerBound)
        }
        return loss
    }
}
