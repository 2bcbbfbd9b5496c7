import AtomicFiles
import AnomalyDetection
import ArgumentParser
import CommandSupport
import Foundation
import Reporting

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a PNG grid of chosen inputs: input | reconstruction | per-pixel error heatmap.",
        discussion: "Each row is labelled with the file name and its score; a colour scale shows the error range.")

    @Option(name: .shortAndLong, help: "Model file written by `aedetect fit`.")
    var model: String

    @Argument(help: "PNG or JPEG files, folders or IDX files (every image in them is rendered, up to --limit).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output PNG file.")
    var out = "grid.png"

    @Option(help: "Render at most this many images.")
    var limit = 32

    @OptionGroup var images: ImageOptions

    @OptionGroup var forceOption: ForceOption
    var force: Bool { forceOption.force }

    func run() throws {
        try reportingErrors {
            let detector = try images.loadDetector(model)
            let set = try InputSet(paths: inputs)
            let p = detector.preprocessing
            let batch = set.load(0..<min(limit, set.count), options: p.loadOptions)
            for (position, reason) in batch.failed { note("unreadable \(set.path(of: set.items[position])): \(reason)") }
            guard !batch.loaded.isEmpty else { throw DetectorError.input("none of the inputs could be read") }
            let recon = detector.reconstruct(batch.images)
            let scores = detector.scores(batch.images)
            let examples = batch.loaded.enumerated().map { k, position in
                RunReport.Example(path: set.path(of: set.items[position]), score: scores[k], height: p.height, width: p.width,
                                  channels: p.channels,
                                  input: Array(batch.images[(k * p.imageSize)..<((k + 1) * p.imageSize)]),
                                  reconstruction: Array(recon[(k * p.imageSize)..<((k + 1) * p.imageSize)]))
            }
            let png = try ReconstructionGrid(examples: examples).png()
            try AtomicFile.write(png, to: URL(fileURLWithPath: out), force: force)
            print("rendered \(examples.count) inputs → \(out)")
        }
    }
}
