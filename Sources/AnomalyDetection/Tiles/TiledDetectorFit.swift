import DataIO
import Foundation
import NeuralNet

/// Fitting a detector whose model takes tiles of images read from files: the images are
/// decoded a few at a time, so memory follows the tiles kept for training, not the folder.
///
/// As in `DetectorFit`, a seeded share of the images is held out for calibration and never
/// trained on. Each training image gives tiles at seeded random positions (the same tiles
/// however the images are batched); a tenth of the training images give the validation
/// tiles that early stopping watches. Training runs until the validation loss has not
/// improved for `patience` passes, within a budget of optimisation steps. The threshold is
/// then set from the scores of the whole held-out images, stitched from their tiles.
public struct TiledDetectorFit {
    public var architecture: Architecture
    public var preprocessing: Preprocessing
    public var scoring: ScoringRule
    public var threshold: ThresholdMethod = .quantile(0.99)
    public var calibrationFraction = 0.1
    public var seed: UInt64 = 0
    /// Optimisation steps at most, and tiles kept for training (about; at least one per image).
    public var stepBudget = 3000
    public var tileBudget = 4096
    /// Optimisation steps without a better validation loss before stopping (rounded up to whole passes).
    public var patienceSteps = 300
    public var batchSize: Int?
    public var learningRate: Float?
    public var provenance: [String: String] = [:]
    public var prepareTrainer: ((Trainer) throws -> Void)?
    /// Called with a line of progress ("training: …") and with each image that could not be read.
    public var note: ((String) -> Void)?
    public var onFailure: ((String, String) -> Void)?
    /// Threads the model trains and scores on.
    public var parallelism = Parallelism.machine

    public init(architecture: Architecture, preprocessing: Preprocessing, scoring: ScoringRule) {
        precondition(preprocessing.grid != nil, "a tiled fit needs the preprocessing's tiles")
        self.architecture = architecture; self.preprocessing = preprocessing; self.scoring = scoring
    }

    /// The training options the budget implies for `tiles` training tiles.
    public func training(tiles: Int) -> TrainingOptions {
        var t = TrainingOptions(for: architecture, epochs: 1, seed: seed)
        if let batchSize { t.batchSize = batchSize }
        if let learningRate { t.learningRate = learningRate }
        let stepsPerPass = (tiles + t.batchSize - 1) / t.batchSize
        t.epochs = max(1, stepBudget / max(1, stepsPerPass))
        t.patience = max(2, (patienceSteps + stepsPerPass - 1) / max(1, stepsPerPass))
        return t
    }

    public func run(_ inputs: InputSet, positions: [Int], progress: ((TrainingEvent) -> Void)? = nil) throws -> (Detector, Trainer) {
        let split = try DetectorFit.split(count: positions.count, fraction: calibrationFraction, seed: seed)
        let trainPositions = split.train.map { positions[$0] }
        let cut = max(1, trainPositions.count / 10)
        let fitPositions = Array(trainPositions.dropLast(cut)), valPositions = Array(trainPositions.suffix(cut))
        let grid = preprocessing.grid!
        let places = (grid.height - grid.tile + 1) * (grid.width - grid.tile + 1)
        let perImage = max(1, min(64, places, (tileBudget + trainPositions.count - 1) / trainPositions.count))
        note?("training: sampling \(perImage) tile\(perImage == 1 ? "" : "s") of \(preprocessing.tile!)×\(preprocessing.tile!) from each of \(trainPositions.count) images")
        let fitTiles = try tiles(inputs, fitPositions, perImage: perImage)
        let valTiles = try tiles(inputs, valPositions, perImage: perImage)

        let model = try Sequential(architecture: architecture, seed: seed, parallelism: parallelism)
        let options = training(tiles: fitTiles.batch)
        let trainer = Trainer(model: model, options: options)
        try prepareTrainer?(trainer)
        try trainer.fit(fitTiles, validation: valTiles, progress: progress)

        let scoring = try fitStatistics(model, inputs, valPositions, colours: fitPositions)
        let mix = try fitMix(model, inputs, fitPositions, scoring)
        note?("calibrating on \(split.calibration.count) held-out images")
        let calScores = try wholeImageScores(model, inputs, split.calibration.map { positions[$0] }, scoring, mix: mix)
        let calibration = try Calibration.fit(scores: calScores, method: threshold)
        var facts = provenance
        facts["training_samples"] = String(trainPositions.count)
        facts["training_tiles"] = String(fitTiles.batch)
        facts["calibration_samples"] = String(calScores.count)
        facts["seed"] = String(seed)
        let detector = Detector(model: model, preprocessing: preprocessing, calibration: calibration,
                                history: trainer.history, provenance: facts, scoring: scoring, latent: nil, mix: mix)
        return (detector, trainer)
    }

    /// Images decoded per batch: a bounded number of pixels, so a folder of large images stays small in memory.
    var imagesPerBatch: Int { max(1, (1 << 24) / preprocessing.imageSize) }

    /// Decodes `positions` batch by batch; `body` gets each batch's images and their positions' indices.
    private func forEachBatch(_ inputs: InputSet, _ positions: [Int],
                              _ body: (UnsafePointer<Float>, [Int]) throws -> Void) throws {
        let subset = inputs.restricted(to: positions)
        var start = 0
        while start < subset.count {
            let range = start..<min(start + imagesPerBatch, subset.count)
            let batch = subset.load(range, options: preprocessing.loadOptions)
            for (p, reason) in batch.failed { onFailure?(subset.path(of: subset.items[p]), reason) }
            if !batch.loaded.isEmpty { try batch.images.withUnsafeBufferPointer { try body($0.baseAddress!, batch.loaded) } }
            start = range.upperBound
        }
    }

    /// `perImage` tiles of each image at positions drawn from a generator seeded by the image's
    /// index, so the tiles do not depend on how the images were batched.
    private func tiles(_ inputs: InputSet, _ positions: [Int], perImage: Int) throws -> Tensor {
        let grid = preprocessing.grid!
        var values: [Float] = []
        try forEachBatch(inputs, positions) { images, loaded in
            values.reserveCapacity(values.count + loaded.count * perImage * grid.tileSize)
            for (k, index) in loaded.enumerated() {
                var rng = SeededRandom(seed: seed &+ 0x711E5 &+ UInt64(index) &* 0x9E3779B97F4A7C15)
                for _ in 0..<perImage {
                    let top = Int(rng.next() % UInt64(grid.height - grid.tile + 1))
                    let left = Int(rng.next() % UInt64(grid.width - grid.tile + 1))
                    let start = values.count
                    values += repeatElement(0, count: grid.tileSize)
                    values.withUnsafeMutableBufferPointer {
                        grid.cut(images + k * grid.imageSize, top: top, left: left, into: $0.baseAddress! + start)
                    }
                }
            }
        }
        guard !values.isEmpty else { throw DetectorError.input("no readable training images") }
        let t = Tensor(shape: [values.count / grid.tileSize] + architecture.inputShape)
        values.withUnsafeBufferPointer { t.ptr.update(from: $0.baseAddress!, count: $0.count) }
        return t
    }

    /// A `zmap` rule standardises its terms by their statistics over normal images: those of the
    /// validation slice (trained on by no step, and not the calibration slice either). On colour
    /// images its colour prior counts the colours of the images trained on (`colours`), which
    /// the statistics' images are not among, so their colours are as new as a scored image's.
    private func fitStatistics(_ model: Sequential, _ inputs: InputSet, _ positions: [Int], colours: [Int]) throws -> ScoringRule {
        guard scoring.kind == .zmap else { return scoring }
        let p = preprocessing
        var rule = scoring
        if p.channels == 3 {
            var histogram = [Int](repeating: 0, count: ColourPrior.bins)
            try forEachBatch(inputs, colours) { images, loaded in
                ColourPrior.count(images, pixels: loaded.count * p.height * p.width, into: &histogram)
            }
            rule = rule.with(colourCounts: ColourPrior.sparse(histogram))
        }
        let maker = ZMapMaker(height: p.height, width: p.width, channels: p.channels, colourCounts: rule.colourCounts)
        var statistics = ZMapStatistics(terms: maker.termCount)
        try forEachBatch(inputs, positions) { images, loaded in
            var recon = [Float](repeating: 0, count: loaded.count * p.imageSize)
            recon.withUnsafeMutableBufferPointer {
                _ = ReconstructionError.ofImages(model, images, count: loaded.count, preprocessing: p,
                                                 batchSize: 512, reconstructions: $0.baseAddress!)
            }
            recon.withUnsafeBufferPointer { r in
                for i in 0..<loaded.count { statistics.add(maker, images + i * p.imageSize, r.baseAddress! + i * p.imageSize) }
            }
        }
        return rule.with(statistics: statistics.values)
    }

    private func fitMix(_ model: Sequential, _ inputs: InputSet, _ positions: [Int], _ scoring: ScoringRule) throws -> ScoreMix? {
        guard scoring.isMixed else { return nil }
        var reconstruction: [Double] = [], structure: [Double] = []
        try forEachBatch(inputs, positions) { images, loaded in
            let t = scoring.terms(model, images, count: loaded.count, codeLayer: nil, preprocessing: preprocessing)
            reconstruction += t.reconstruction
            structure += t.structure
        }
        return ScoreMix(reconstruction: reconstruction, structure: structure, distances: [])
    }

    private func wholeImageScores(_ model: Sequential, _ inputs: InputSet, _ positions: [Int], _ scoring: ScoringRule,
                                  mix: ScoreMix?) throws -> [Double] {
        var scores: [Double] = []
        try forEachBatch(inputs, positions) { images, loaded in
            scores += scoring.assess(model, images, count: loaded.count, preprocessing: preprocessing, mix: mix).scores
        }
        return scores
    }
}
