import AnomalyDetection
import ArgumentParser
import AtomicFiles
import CommandSupport
import DataIO
import Foundation

struct Denoise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the model's reconstructions (denoised images) as PNGs, mirroring the input's paths.",
        discussion: """
        Meant for a model fitted with --preset denoise (trained on noisy inputs against clean targets), but \
        works with any image model. A folder's files keep their relative paths under --out (a JPEG's name ends \
        in .png instead: the output is a PNG); the images of an IDX file are written as NNNNN.png by index; \
        unreadable inputs are listed on stderr. An --out ending in .idx or .idx.gz writes instead one float32 IDX \
        file [N, height, width, channels] of the readable inputs' reconstructions as the network outputs them \
        (unquantised, not inverted back), for comparing with another runtime.
        """)

    @Option(name: .shortAndLong, help: "Model file written by `aedetect fit`.")
    var model: String

    @Argument(help: "A folder of PNG and JPEG images, one image file or an IDX image file.")
    var input: String

    @Option(name: .shortAndLong, help: "Output folder, or a .idx / .idx.gz file for the unquantised reconstructions.")
    var out: String

    @OptionGroup var images: ImageOptions

    @OptionGroup var forceOption: ForceOption
    var force: Bool { forceOption.force }

    func run() throws {
        try reportingErrors {
            let detector = try images.loadDetector(model)
            let set = try InputSet(paths: [input])
            if out.hasSuffix(".idx") || out.hasSuffix(".idx.gz") { return try writeIDX(detector, set) }
            let p = detector.preprocessing
            var written = 0, failed = 0
            var targets = Set<String>()
            var start = 0
            while start < set.count {
                let chunk = start..<min(start + 1000, set.count)
                let batch = set.load(chunk, options: p.loadOptions)
                let clean = detector.reconstruct(batch.images)
                for (k, position) in batch.loaded.enumerated() {
                    let target = outputPath(for: set.path(of: set.items[position]))
                    guard targets.insert(target).inserted else {  // a.png and a.jpg side by side
                        throw DataIOError.cannotWrite(file: target, reason: "written already for another input of the same name")
                    }
                    if !force && FileManager.default.fileExists(atPath: target) {
                        throw DataIOError.cannotWrite(file: target, reason: "already exists (pass --force to overwrite)")
                    }
                    try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                            withIntermediateDirectories: true)
                    var pixels = Array(clean[(k * p.imageSize)..<((k + 1) * p.imageSize)])
                    if p.invert { pixels = pixels.map { 1 - $0 } }
                    try PNG.write(unitFloats: pixels, width: p.width, height: p.height, channels: p.channels, to: target)
                    written += 1
                }
                for (position, reason) in batch.failed {
                    note("unreadable \(set.path(of: set.items[position])): \(reason)")
                    failed += 1
                }
                start = chunk.upperBound
            }
            print("\(written) denoised images written to \(out)" + (failed > 0 ? ", \(failed) inputs unreadable" : ""))
        }
    }

    /// The reconstructions of the readable inputs, in order, as float32 [N, H, W, C].
    func writeIDX(_ detector: Detector, _ set: InputSet) throws {
        if !force && FileManager.default.fileExists(atPath: out) { throw AtomicFileError.exists(out) }
        let p = detector.preprocessing
        let batch = set.load(0..<set.count, options: p.loadOptions)
        for (position, reason) in batch.failed { note("unreadable \(set.path(of: set.items[position])): \(reason)") }
        let clean = detector.reconstruct(batch.images)
        let array = IDXArray(type: .float32, shape: [batch.loaded.count, p.height, p.width, p.channels], values: clean.map(Double.init))
        try IDX.write(array, to: out, gzip: out.hasSuffix(".gz"))
        print("\(batch.loaded.count) reconstructions written to \(out)" + (batch.failed.isEmpty ? "" : ", \(batch.failed.count) inputs unreadable"))
    }

    /// input/a/b.png → out/a/b.png; input/a/c.JPG → out/a/c.png; data.idx.gz#7 → out/00007.png; file.png → out/file.png.
    func outputPath(for path: String) -> String {
        if let hash = path.lastIndex(of: "#"), let index = Int(path[path.index(after: hash)...]) {
            return out + "/" + String(format: "%05d.png", index)
        }
        let root = input.hasSuffix("/") ? input : input + "/"
        let relative = path.hasPrefix(root) ? String(path.dropFirst(root.count)) : (path as NSString).lastPathComponent
        return (out + "/" + relative).replacingImageSuffixWithPNG()
    }
}

private extension String {
    /// "b.jpg", "b.JPEG" → "b.png": the reconstruction is written as a PNG whatever the input was.
    func replacingImageSuffixWithPNG() -> String {
        let lower = lowercased()
        for suffix in [".jpg", ".jpeg"] where lower.hasSuffix(suffix) { return String(dropLast(suffix.count)) + ".png" }
        return self
    }
}
