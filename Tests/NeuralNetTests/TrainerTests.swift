import XCTest
@testable import NeuralNet

final class TrainerTests: XCTestCase {
    /// Smooth 8×8 "images": a blob at a random place, so an autoencoder can learn them.
    private func blobs(_ n: Int, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        let t = Tensor(shape: [n, 64])
        for s in 0..<n {
            let cx = rng.uniform(2, 6), cy = rng.uniform(2, 6)
            for y in 0..<8 { for x in 0..<8 {
                let d = (Float(x) - cx) * (Float(x) - cx) + (Float(y) - cy) * (Float(y) - cy)
                t[s * 64 + y * 8 + x] = expf(-d / 3)
            } }
        }
        return t
    }

    private let small = Architecture(name: "small", inputShape: [64],
                                     layers: [.dense(units: 16, activation: .relu), .dense(units: 64, activation: .sigmoid)],
                                     loss: .binaryCrossentropy, learningRate: 0.01, batchSize: 16, encoderLayer: 0)

    func testLossFallsAndValidationIsRecorded() throws {
        let model = try Sequential(architecture: small, seed: 1)
        XCTAssertTrue(model.sigmoidFolded)
        let trainer = Trainer(model: model, options: TrainingOptions(for: small, epochs: 8, seed: 1))
        var steps = 0
        let history = try trainer.fit(blobs(200, seed: 2), validation: blobs(50, seed: 3)) { event in
            if case .step = event { steps += 1 }
        }
        XCTAssertEqual(history.loss.count, 8)
        XCTAssertEqual(history.validationLoss.count, 8)
        XCTAssertEqual(steps, 8 * 13)  // ⌈200/16⌉ batches, the last one partial
        for e in 1..<8 { XCTAssertLessThan(history.loss[e], history.loss[e - 1], "epoch \(e)") }
        XCTAssertLessThan(history.validationLoss.last!, history.validationLoss.first!)
        // Predictions are probabilities even though training folded the sigmoid away.
        let p = model.predict(blobs(3, seed: 4))
        XCTAssertTrue(p.array.allSatisfy { $0 > 0 && $0 < 1 })
    }

    /// A recurrent model trains a batch in chunks, on its threads (a replica each, taking chunks
    /// in turn), and sums their gradients, weighted by size: the loss and the gradients are the
    /// whole batch's, with chunks of one block and of 6 samples as without; and they are the
    /// same to the bit on one thread or three, whichever thread ran a chunk.
    func testChunkedBatchGivesTheWholeBatchsLossAndGradients() throws {
        try checkChunks(Presets.lstm, shape: [28, 28], defaultChunk: LSTMTraining.lanes)
    }

    /// The same for the all-convolutional denoise preset, whose noise is drawn over the whole
    /// batch before it is cut into chunks (binary cross-entropy, sigmoid folded into the loss).
    func testChunkedDenoisingBatchGivesTheWholeBatchsLossAndGradients() throws {
        try checkChunks(Presets.denoise, shape: [28, 28, 1], defaultChunk: 16)
    }

    /// Dense layers keep the whole batch (their GEMMs want it).
    func testModelsWithDenseLayersTrainWholeBatches() throws {
        XCTAssertNil(try Sequential(architecture: Presets.conv, seed: 1).trainingChunk)
        XCTAssertNil(try Sequential(architecture: Presets.dense, seed: 1).trainingChunk)
    }

    private func checkChunks(_ arch: Architecture, shape: [Int], defaultChunk: Int) throws {
        let x = Tensor(shape: [70] + shape, values: Array(blobs(70 * 13, seed: 7).array.prefix(70 * 784)))
        func step(chunk: Int?, threads: Int = 2) throws -> (loss: Double, gradients: [Float]) {
            let model = try Sequential(architecture: arch, seed: 8, parallelism: Parallelism(parts: threads))
            XCTAssertEqual(model.trainingChunk, defaultChunk)
            model.trainingChunk = chunk
            var options = TrainingOptions(for: arch, epochs: 1, seed: 8)
            options.batchSize = 70
            let history = try Trainer(model: model, options: options).fit(x)
            return (history.loss[0], model.parameters.flatMap(\.grad.array))
        }
        let whole = try step(chunk: nil)
        let scale = whole.gradients.map(abs).max()!
        XCTAssertGreaterThan(scale, 1e-4)
        for chunk in [defaultChunk, 6] {
            let chunks = try step(chunk: chunk)
            XCTAssertEqual(chunks.loss, whole.loss, accuracy: 1e-6 * whole.loss, "chunk \(chunk)")
            for (a, b) in zip(chunks.gradients, whole.gradients) { XCTAssertEqual(a, b, accuracy: 1e-5 * scale, "chunk \(chunk)") }
            for threads in [1, 3] {
                let other = try step(chunk: chunk, threads: threads)
                XCTAssertEqual(other.loss, chunks.loss, "chunk \(chunk), \(threads) threads")
                XCTAssertEqual(other.gradients, chunks.gradients, "chunk \(chunk), \(threads) threads")
            }
        }
    }

    func testSameSeedIsRepeatable() throws {
        func run() throws -> [Float] {
            let model = try Sequential(architecture: small, seed: 5)
            try Trainer(model: model, options: TrainingOptions(for: small, epochs: 2, seed: 5)).fit(blobs(64, seed: 6))
            return model.parameters.flatMap(\.value.array)
        }
        XCTAssertEqual(try run(), try run())
    }

    func testDivergenceStopsWithClearError() throws {
        var arch = small
        arch.loss = .meanSquaredError
        arch.layers = [.dense(units: 16, activation: .linear), .dense(units: 64, activation: .linear)]
        let model = try Sequential(architecture: arch, seed: 1)
        let trainer = Trainer(model: model, options: TrainingOptions(epochs: 5, batchSize: 16, learningRate: 1e30, seed: 1))
        let x = blobs(64, seed: 2)
        for i in 0..<x.count { x[i] *= 1e18 }
        XCTAssertThrowsError(try trainer.fit(x)) { e in
            guard case TrainingError.nonFinite = e else { return XCTFail("\(e)") }
            XCTAssertTrue("\(e)".contains("no model was written"))
        }
    }

    func testEarlyStoppingRestoresBestWeights() throws {
        // A learning rate this high makes validation loss bounce; patience 1 must stop
        // early and put back the weights of the best epoch.
        let model = try Sequential(architecture: small, seed: 7)
        var opts = TrainingOptions(for: small, epochs: 40, seed: 7)
        opts.learningRate = 0.2
        opts.patience = 1
        let trainer = Trainer(model: model, options: opts)
        let val = blobs(40, seed: 9)
        let h = try trainer.fit(blobs(100, seed: 8), validation: val)
        XCTAssertTrue(h.stoppedEarly)
        XCTAssertLessThan(h.loss.count, 40)
        let best = h.validationLoss.enumerated().min { $0.element < $1.element }!
        XCTAssertEqual(h.keptEpoch, best.offset)
        XCTAssertEqual(trainer.evaluate(val), best.element, accuracy: 1e-6)
    }

    func testDenoisingInputsAreNoisyAndClippedTargetsClean() throws {
        let arch = Architecture(name: "d", inputShape: [64], layers: [.dense(units: 64, activation: .sigmoid)],
                                loss: .binaryCrossentropy, learningRate: 0.01, batchSize: 10)
        let model = try Sequential(architecture: arch, seed: 1)
        var opts = TrainingOptions(for: arch, epochs: 1, seed: 1)
        opts.noise = 0.3
        let trainer = Trainer(model: model, options: opts)
        let x = blobs(10, seed: 1)
        let before = x.array
        try trainer.fit(x)
        XCTAssertEqual(x.array, before, "training must not modify the data")
        // The one batch held all 10 samples: targets clean, inputs noisy but clipped to [0, 1].
        XCTAssertEqual(trainer.batchTarget.array.sorted(), before.sorted())
        let noisy = trainer.batchInput.array, clean = trainer.batchTarget.array
        XCTAssertTrue(noisy.allSatisfy { $0 >= 0 && $0 <= 1 })
        let meanAbs = zip(noisy, clean).map { abs($0 - $1) }.reduce(0, +) / Float(noisy.count)
        XCTAssertGreaterThan(meanAbs, 0.1)   // E|0.3·N(0,1)| ≈ 0.24 before clipping
        XCTAssertLessThan(meanAbs, 0.3)
    }
}

final class GaussianNoiseTests: XCTestCase {
    /// The two-thread noise equals BoxMuller8 applied block by block to the stream's words
    /// (cos halves then sin halves), clipped, and leaves the generator eight words per block on.
    func testBlocksOfTheStreamThroughBoxMuller() {
        for count in [7, 5000, 235_200] {
            let x = randomTensor([count], seed: 3, low: 0, high: 1), expected = x.clone()
            var a = SeededRandom(seed: 11), b = SeededRandom(seed: 11)
            GaussianNoise().add(sigma: 0.3, to: x, rng: &a)
            for block in 0..<((count + 15) / 16) {
                var words = SIMD8<UInt64>()
                for l in 0..<8 { words[l] = b.next() }
                let z = BoxMuller8.normals(words)
                for i in 0..<min(16, count - 16 * block) {
                    let e = 16 * block + i
                    expected[e] = min(max(expected[e] + 0.3 * (i < 8 ? z.cos[i] : z.sin[i - 8]), 0), 1)
                }
            }
            XCTAssertEqual(x.array, expected.array, "\(count)")
            XCTAssertEqual(a, b)
        }
    }

    /// On a mid-grey image (little clipping at σ = 0.1) the added noise has mean 0 and
    /// standard deviation σ, and two equal seeds give equal noise.
    func testNoiseStatistics() {
        let count = 100_003, x = Tensor(shape: [count]), y = Tensor(shape: [count])
        for i in 0..<count { x[i] = 0.5; y[i] = 0.5 }
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5)
        GaussianNoise().add(sigma: 0.1, to: x, rng: &a)
        GaussianNoise().add(sigma: 0.1, to: y, rng: &b)
        XCTAssertEqual(x.array, y.array)
        let d = x.array.map { Double($0) - 0.5 }
        let mean = d.reduce(0, +) / Double(count), variance = d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count)
        XCTAssertEqual(mean, 0, accuracy: 0.001)
        XCTAssertEqual(variance.squareRoot(), 0.1, accuracy: 0.001)
    }
}
