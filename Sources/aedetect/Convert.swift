import ArgumentParser
import CommandSupport
import DataIO
import Foundation

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert IDX (+ labels) to a PNG folder, or a folder of PNG or JPEG images to gzipped IDX (+ labels).",
        discussion: """
        The direction follows the input: a file is read as IDX (gzipped or raw) and written as PNG files \
        named by their index in the input (NNNNN.png); a folder is read as PNG and JPEG images (recursively, sorted) \
        and written as one IDX images file. 8-bit images round-trip exactly.
        """)

    @Argument(help: "An IDX images file, or a folder of PNG and JPEG images.")
    var input: String

    @Option(name: .shortAndLong, help: "The output PNG folder (for an IDX input) or the output IDX images file (for a folder input).")
    var out: String?

    @Argument(help: ArgumentHelp("The output, as --out (kept for scripts that give it second).", valueName: "out"))
    var positionalOutput: String?

    /// --out, or the older positional form.
    var output: String { out ?? positionalOutput ?? "" }

    @Option(help: "IDX labels file that pairs with the IDX images input.")
    var labels: String?

    @Flag(help: "IDX → PNG: write each image into a sub-folder named by its label (needs --labels).")
    var byLabel = false

    @Option(name: .customLong("class"), parsing: .singleValue, help: "Keep only this label (repeatable; needs labels).")
    var classes: [Int] = []

    @Option(help: "Keep at most this many images per label (needs labels).")
    var perClass: Int?

    @Option(help: "Keep at most this many images in total.")
    var limit: Int?

    @Option(help: "Skip the input images before this index.")
    var offset = 0

    @Option(help: "Folder → IDX: write the labels, taken from the first level of sub-folder names, to this IDX file.")
    var labelsOut: String?

    @Flag(help: "Folder → IDX: write raw IDX instead of gzipped.")
    var noGzip = false

    @Option(help: "Folder → IDX: image height.")
    var height = 28

    @Option(help: "Folder → IDX: image width.")
    var width = 28

    @Option(help: "Folder → IDX: channels (1 grayscale by luma, 3 RGB).")
    var channels = 1

    @Flag(help: "Folder → IDX: resample images of another size (area when shrinking, bilinear when enlarging).")
    var resize = false

    @Flag(help: "Folder → IDX: invert values (1 − v) for dark-on-light images.")
    var invert = false

    func validate() throws {
        if out != nil && positionalOutput != nil { throw ValidationError("give the output once: --out OUT (or OUT after the input), not both") }
        if out == nil && positionalOutput == nil { throw ValidationError("missing --out: the output PNG folder or IDX file") }
        if byLabel && labels == nil { throw ValidationError("--by-label needs --labels") }
        if let limit, limit < 0 { throw ValidationError("--limit must be at least 0") }
        if let perClass, perClass < 0 { throw ValidationError("--per-class must be at least 0") }
        if offset < 0 { throw ValidationError("--offset must be at least 0") }
    }

    func run() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else {
            throw ValidationError("\(input): no such file or folder")
        }
        if isFolder.boolValue { try folderToIDX() } else { try idxToFolder() }
    }

    private var selection: LabelSelection { LabelSelection(classes: Set(classes), perClass: perClass, limit: limit, offset: offset) }

    private func idxToFolder() throws {
        let images = try IDX.read(path: input)
        let s = images.shape
        guard s.count == 3 || (s.count == 4 && (s[3] == 1 || s[3] == 3)) else {
            throw DataIOError.idxNotImages(file: input, shape: s)
        }
        let labelValues = try labels.map { try Dataset.loadLabels(path: $0) }
        if let labelValues, labelValues.count != s[0] {
            throw DataIOError.labelCountMismatch(images: input, imageCount: s[0], labels: labels!, labelCount: labelValues.count)
        }
        if labelValues == nil && (!classes.isEmpty || perClass != nil) { throw ValidationError("--class and --per-class need --labels") }
        let chosen = selection.choose(count: s[0], label: { labelValues?[$0] })
        let bytes = ImageBytes(images)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let digits = max(5, String(s[0]).count)
        for i in chosen {
            var folder = output
            if byLabel, let labelValues { folder += "/\(labelValues[i])" }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let name = String(repeating: "0", count: max(0, digits - String(i).count)) + String(i)
            try PNG.write(bytes.image(i), width: s[2], height: s[1], channels: s.count == 4 ? s[3] : 1, to: "\(folder)/\(name).png")
        }
        print("wrote \(chosen.count) PNG files to \(output)")
    }

    private func folderToIDX() throws {
        let folder = try ImageFolder(root: input, labelsFromSubfolders: labelsOut != nil || !classes.isEmpty || perClass != nil)
        let files = folder.files
        let chosen = selection.choose(count: files.count, label: { files[$0].label })
        let options = ImageLoadOptions(height: height, width: width, channels: channels, resize: resize, invert: invert)
        let stream = ImageBatchStream(files: chosen.map { files[$0] }, options: options, batchSize: 512)
        var pixels: [UInt8] = [], labelValues: [Int] = [], errors = folder.skipped
        for batch in stream {
            pixels += batch.images.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
            labelValues += batch.labels.map { $0 ?? -1 }
            errors += batch.errors
        }
        for error in errors { FileHandle.standardError.write(Data("skipped \(error)\n".utf8)) }
        let n = labelValues.count
        guard n > 0 else { throw ValidationError("\(input): no image could be loaded (\(errors.count) errors)") }
        let shape = channels == 1 ? [n, height, width] : [n, height, width, channels]
        try IDX.write(IDXArray(uint8: pixels, shape: shape), to: output, gzip: !noGzip)
        if let labelsOut {
            guard !labelValues.contains(where: { $0 < 0 || $0 > 255 }) else {
                throw ValidationError("\(input): every image needs a sub-folder label from 0 to 255 for --labels-out")
            }
            try IDX.write(IDXArray(uint8: labelValues.map { UInt8($0) }, shape: [n]), to: labelsOut, gzip: !noGzip)
        }
        print("wrote \(n) images to \(output)" + (labelsOut.map { " and labels to \($0)" } ?? "") + (errors.isEmpty ? "" : "; \(errors.count) files skipped"))
    }
}

/// Which items a class filter, a per-class cap and a total limit keep, in input order.
struct LabelSelection {
    let classes: Set<Int>
    let perClass: Int?
    let limit: Int?
    let offset: Int

    func choose(count: Int, label: (Int) -> Int?) -> [Int] {
        var kept: [Int] = [], perLabel: [Int: Int] = [:]
        for i in min(offset, count)..<count {
            if let limit, kept.count >= limit { break }
            let l = label(i)
            if !classes.isEmpty { guard let l, classes.contains(l) else { continue } }
            if let perClass, let l {
                guard perLabel[l, default: 0] < perClass else { continue }
                perLabel[l, default: 0] += 1
            }
            kept.append(i)
        }
        return kept
    }
}

/// 8-bit pixels of an IDX images array: u8 stored bytes as they are, other types via [0, 1].
struct ImageBytes {
    let all: [UInt8]
    let imageSize: Int

    init(_ array: IDXArray) {
        imageSize = array.shape.dropFirst().reduce(1, *)
        all = array.uint8Values() ?? array.unitFloats().map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
    }

    func image(_ i: Int) -> [UInt8] { Array(all[(i * imageSize)..<((i + 1) * imageSize)]) }
}
