import AtomicFiles
import AnomalyDetection
import ArgumentParser
import CommandSupport
import DataIO
import Foundation
import NeuralNet
import Reporting

struct Encode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write latent vectors (the encoder's output) for dimensionality reduction.",
        discussion: """
        The encoder is the architecture's encoder layer: dense → the 100-unit layer, conv → the 14×14×1 \
        reshape, lstm → the first bidirectional layer (28×8). Output by extension: .csv (path, status, \
        message, z0, z1, …; every input, unreadable ones with their reason) or .idx / .idx.gz (float32 \
        [N, code size], the readable inputs in order; unreadable ones are listed on stderr).
        """)

    @Option(name: .shortAndLong, help: "Model file written by `aedetect fit`.")
    var model: String

    @Argument(help: "Folders of PNG and JPEG images, image files or IDX image files.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file: .csv, .idx or .idx.gz.")
    var out: String

    @OptionGroup var images: ImageOptions

    @OptionGroup var forceOption: ForceOption
    var force: Bool { forceOption.force }

    func validate() throws {
        guard out.hasSuffix(".csv") || out.hasSuffix(".idx") || out.hasSuffix(".idx.gz") else {
            throw ValidationError("--out must end in .csv, .idx or .idx.gz")
        }
    }

    func run() throws {
        try reportingErrors {
            let detector = try images.loadDetector(model)
            let set = try InputSet(paths: inputs)
            let codes = try LatentCodes.compute(detector: detector, inputs: set)
            if out.hasSuffix(".csv") {
                try AtomicFile.write(codes.csv(), to: URL(fileURLWithPath: out), force: force)
            } else {
                if !force && FileManager.default.fileExists(atPath: out) { throw AtomicFileError.exists(out) }
                for r in codes.rows where r.code == nil { note("unreadable \(r.path): \(r.message ?? "")") }
                try IDX.write(codes.idxArray(), to: out, gzip: out.hasSuffix(".gz"))
            }
            print("\(codes.rows.filter { $0.code != nil }.count) of \(codes.rows.count) inputs encoded, \(codes.size) values each → \(out)")
        }
    }
}
