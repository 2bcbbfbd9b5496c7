/// Dense: y = f(x·W + b) on the last axis. On 3-D input [batch, steps, features] it
/// applies the same weights at every step, which is Keras's TimeDistributed(Dense).
/// kernel [in, units] (Keras layout), bias [units].
public final class Dense: ActivatedLayer, InputGradientOptional, ThreadedLayer {
    public let kind = "Dense"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var activation: Activation
    public let kernel: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [kernel, bias] }
    /// A model sets this to false on its first layer, whose input is data: backward then
    /// skips dX (about a third of its work) and returns a buffer of unspecified contents.
    public var needsInputGradient = true
    public var parallelism = Parallelism.serial

    let inFeatures: Int
    let units: Int
    private var input: Tensor?
    private let output = Tensor()
    private let dz = Tensor()
    private let dInput = Tensor()

    public init(inputShape: [Int], units: Int, activation: Activation = .linear, rng: inout SeededRandom) throws {
        guard let last = inputShape.last, inputShape.count <= 2, last > 0, units > 0 else {
            throw ShapeError("Dense needs input (features) or (steps, features), got \(inputShape)")
        }
        self.inputShape = inputShape
        self.outputShape = inputShape.dropLast() + [units]
        self.activation = activation
        self.inFeatures = last
        self.units = units
        kernel = Parameter(name: "kernel", shape: [last, units])
        bias = Parameter(name: "bias", shape: [units])
        Initializer.glorotUniform(kernel.value, rng: &rng)
    }

    /// Rows of the GEMM: every (sample, step) pair.
    private func rows(_ x: Tensor) -> Int { x.count / inFeatures }

    /// Whether a layer of m rows is worth splitting between threads.
    private func splits(_ m: Int) -> Bool { m * inFeatures * units >= Parallelism.minimumMultiplyAdds }

    /// Training's GEMMs go through OpenBLAS, whose result for an element depends on the shape
    /// of the call, so they are cut into this many pieces whatever the thread count (results
    /// must not depend on it). Two pieces keep each GEMM of a training batch (100–300 rows)
    /// efficient; dense training therefore uses two threads at most.
    static let trainingPieces = 2

    /// Y = f(X·W + b). Inference: rows split between the threads (each row computed alone by
    /// stableGEMM). Training: two blocks of Y; a split by rows makes each piece pack all of W,
    /// a split by columns all of X, so the block is chosen that packs the smaller operand twice.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        input = x
        let m = rows(x)
        output.resize([x.batch] + outputShape)
        if !training {
            // Rows only: a row's arithmetic must not depend on the batch (see stableGEMM).
            (splits(m) ? parallelism : .serial).split(m) { rows, _ in stableForward(x, rows: rows) }
            return output
        }
        guard splits(m) else {
            forwardBlock(x, rows: 0..<m, columns: 0..<units)
            return output
        }
        let n = Dense.trainingPieces
        if m > units {
            parallelism.forEach(n) { i, _ in forwardBlock(x, rows: Parallelism.range(i, of: n, m), columns: 0..<units) }
        } else {
            parallelism.forEach(n) { i, _ in forwardBlock(x, rows: 0..<m, columns: Parallelism.range(i, of: n, units)) }
        }
        return output
    }

    /// For a caller that splits the rows over the cores itself (DenseStack): keeps x, sizes
    /// the output for it and returns it, to be filled by `forward(rows:)`.
    func prepareForward(_ x: Tensor) -> Tensor {
        input = x
        output.resize([x.batch] + outputShape)
        return output
    }

    /// Rows `rows` of the prepared output, on the calling thread.
    func forward(rows: Range<Int>) {
        guard let x = input else { preconditionFailure("Dense.forward(rows:) before prepareForward") }
        stableForward(x, rows: rows)
    }

    private func stableForward(_ x: Tensor, rows: Range<Int>) {
        let y = output.ptr + rows.lowerBound * units
        stableGEMM(m: rows.count, n: units, k: inFeatures, a: x.ptr + rows.lowerBound * inFeatures, lda: inFeatures,
                   b: kernel.value.ptr, ldb: units, c: y, ldc: units)
        Elementwise.addBiasAndActivate(y, rows: rows.count, cols: units, stride: units, bias: bias.value.ptr, activation)
    }

    private func forwardBlock(_ x: Tensor, rows: Range<Int>, columns: Range<Int>) {
        let y = output.ptr + rows.lowerBound * units + columns.lowerBound
        gemm(m: rows.count, n: columns.count, k: inFeatures, a: x.ptr + rows.lowerBound * inFeatures, lda: inFeatures,
             b: kernel.value.ptr + columns.lowerBound, ldb: units, c: y, ldc: units)
        Elementwise.addBiasAndActivate(y, rows: rows.count, cols: columns.count, stride: units,
                                       bias: bias.value.ptr + columns.lowerBound, activation)
    }

    /// dW = Xᵀ·dZ, db = Σ dZ and dX = dZ·Wᵀ. dW and dX are independent products of equal
    /// work, the two pieces of the job; without dX, dW's rows are cut in two pieces.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Dense.backward before forward") }
        let m = rows(x)
        let dz = activationGradient(dy, output: output, activation, into: self.dz)
        dInput.resize(x.shape)
        let allFeatures = 0..<inFeatures
        switch (splits(m), needsInputGradient) {
        case (false, _):
            weightGradient(x, dz, m, features: allFeatures)
            if needsInputGradient { inputGradient(dz, m) }
        case (true, true):
            parallelism.forEach(2) { i, _ in if i == 0 { weightGradient(x, dz, m, features: allFeatures) } else { inputGradient(dz, m) } }
        case (true, false):
            let n = Dense.trainingPieces
            parallelism.forEach(n) { i, _ in weightGradient(x, dz, m, features: Parallelism.range(i, of: n, inFeatures)) }
        }
        return dInput
    }

    /// Rows `features` of dW = Xᵀ·dZ; the first block also computes db.
    private func weightGradient(_ x: Tensor, _ dz: UnsafeMutablePointer<Float>, _ m: Int, features: Range<Int>) {
        gemm(transA: true, m: features.count, n: units, k: m, a: x.ptr + features.lowerBound, lda: inFeatures,
             b: dz, ldb: units, c: kernel.grad.ptr + features.lowerBound * units, ldc: units)
        if features.lowerBound == 0 { Elementwise.sumRows(dz, rows: m, cols: units, into: bias.grad.ptr) }
    }

    private func inputGradient(_ dz: UnsafeMutablePointer<Float>, _ m: Int) {
        gemm(transB: true, m: m, n: inFeatures, k: units, a: dz, lda: units,
             b: kernel.value.ptr, ldb: units, c: dInput.ptr, ldc: inFeatures)
    }
}
