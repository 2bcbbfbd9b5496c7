import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import NeuralNet

extension Fit {
    /// The geometry the default detector takes from the data: the most common size (or `--size`),
    /// colour unless `--grayscale`. Nil when no image header can be read (the load reports why).
    func dataGeometry() throws -> InputGeometry? {
        let (inputs, positions) = try NormalSamples.select(input, labels: labels, normalClass: normalClass)
        guard var g = InputGeometry.survey(inputs, positions: positions) else { return nil }
        if let s = try parsedSize() { (g.height, g.width) = s }
        if grayscale { g.channels = 1 }
        if !quiet {
            var line = "fit: input \(g.height)×\(g.width), \(g.channels == 3 ? "colour" : "grayscale")"
            line += size == nil ? " (\(g.matching) of \(positions.count) images)" : " (--size)"
            if g.otherSize > 0, size == nil {
                line += "; \(g.otherSize) of another size " + (resize ? "are resampled" : "are skipped (--resize resamples them)")
            }
            note(line)
        }
        return g
    }

    /// Fits the conv detector on tiles of images of `geometry`.
    func fitTiled(_ geometry: InputGeometry, interruption: Interruption) throws {
        if checkpointEvery != nil || resume != nil {
            throw ValidationError("--checkpoint-every and --resume are not available for the tiled default detector yet")
        }
        let preprocessing = try DefaultDetector.tiledPreprocessing(geometry, invert: invert, resize: resize)
        let architecture = DefaultDetector.tiledArchitecture(preprocessing)
        let (inputs, positions) = try NormalSamples.select(input, labels: labels, normalClass: normalClass)
        var job = TiledDetectorFit(architecture: architecture, preprocessing: preprocessing,
                                   scoring: try scoring.map { try ScoringRule(parsing: $0) } ?? DefaultDetector.tiledScoring)
        job.threshold = try parseThreshold()
        job.calibrationFraction = calibrationFraction
        job.seed = seed
        job.parallelism = threadsOption.parallelism
        job.batchSize = batchSize
        job.learningRate = lr
        if epochs != nil { throw ValidationError("the default detector for \(geometry) images trains to a budget of steps: give --steps, not --epochs") }
        if let steps { job.stepBudget = steps }
        if let patience { job.patienceSteps = patience }
        job.provenance = ["input": input, "normal_class": normalClass ?? "", "date": ISO8601DateFormatter().string(from: Date()),
                          "architecture": architecture.name]
        if !quiet { job.note = { note("fit: " + $0) } }
        var skipped = Set<String>()  // the training images are read more than once; each skip is said once
        job.onFailure = { path, reason in if skipped.insert(path).inserted { note("skipped \(path): \(reason)") } }
        let bar = ProgressBar(quiet: quiet, batchSize: job.batchSize ?? architecture.batchSize)
        let (detector, _) = try job.run(inputs, positions: positions, progress: bar.handle)
        try interruption.deferring { try detector.save(to: URL(fileURLWithPath: out), overwrite: force) }
        bar.finish("fit: wrote \(out)")
        print(FitSummary(detector).text)
    }
}
