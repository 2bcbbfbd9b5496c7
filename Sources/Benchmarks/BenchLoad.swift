import ArgumentParser
import DataIO
import Foundation

struct BenchLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Data-loading throughput against Python (Pillow; gzip + numpy) in the same run.",
        discussion: """
        Decodes a folder of MNIST-sized PNGs and one of JPEGs (made from the IDX file if missing; the JPEGs \
        by Pillow at quality 95) and loads the gzipped IDX file, alternating aedetect and Python runs, and \
        reports medians and ratios. Build in release mode.
        """)

    @Option(help: "The gzipped MNIST training images (IDX).")
    var idx = "../shared/data/mnist/train-images-idx3-ubyte.gz"

    @Option(help: "Folder of PNGs to decode; created from the first --count images of --idx when it holds none.")
    var folder = ".build/bench-load-png"

    @Option(help: "Folder of JPEGs to decode; created by Pillow from the first --count images of --idx when it holds none.")
    var jpegFolder = ".build/bench-load-jpeg"

    @Option(help: "Number of PNG and JPEG files to create in --folder and --jpeg-folder.")
    var count = 10_000

    @Option(help: "Repetitions of each measurement (the median is reported).")
    var repetitions = 5

    @Option(help: "Python interpreter with Pillow and numpy (see bench/load_reference.py).")
    var python = ".venv-bench/bin/python"

    @Option(help: "Markdown report whose \"Data loading\" section is written (empty to skip).")
    var report = "reports/performance.md"

    func run() throws {
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
        try makeFolderIfEmpty()
        if imageFiles(jpegFolder).isEmpty { _ = try python("make-jpeg", idx, jpegFolder, String(count)) }
        var times: [String: [Double]] = [:]
        var means: [String: Double] = [:]
        for _ in 0..<repetitions {
            for (name, measure) in measurements {
                let (seconds, mean) = try measure()
                times[name, default: []].append(seconds)
                means[name] = mean
            }
        }
        let result = BenchLoadResult(times: times, means: means, pngCount: imageFiles(folder).count,
                                     jpegCount: imageFiles(jpegFolder).count, idxCount: 60_000, repetitions: repetitions,
                                     loadAverage: load)
        print(result.markdown)
        if !report.isEmpty { try result.write(toReport: report) }
    }

    private var measurements: [(String, () throws -> (Double, Double))] {
        [("pillow", { try python("png", folder) }),
         ("swift-png", { try swiftFolder(folder) }),
         ("pillow-jpeg", { try python("jpeg", jpegFolder) }),
         ("swift-jpeg", { try swiftFolder(jpegFolder) }),
         ("numpy", { try python("idx", idx) }),
         ("swift-idx", swiftIDX)]
    }

    private func imageFiles(_ root: String) -> [ImageFile] { (try? ImageFolder(root: root).files) ?? [] }

    private func makeFolderIfEmpty() throws {
        guard imageFiles(folder).isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let array = try IDX.read(path: idx)
        guard let bytes = array.uint8Values(), array.shape.count == 3 else { throw DataIOError.idxNotImages(file: idx, shape: array.shape) }
        let (h, w) = (array.shape[1], array.shape[2])
        for i in 0..<min(count, array.shape[0]) {
            let name = String(format: "%05d.png", i)
            try PNG.write(Array(bytes[(i * h * w)..<((i + 1) * h * w)]), width: w, height: h, channels: 1, to: "\(folder)/\(name)")
        }
    }

    private func swiftFolder(_ root: String) throws -> (Double, Double) {
        let start = DispatchTime.now()
        let files = try ImageFolder(root: root)
        var sum = 0.0, n = 0
        for batch in ImageBatchStream(folder: files, options: ImageLoadOptions(), batchSize: 512) {
            precondition(batch.errors.isEmpty, "bench folder has unreadable files: \(batch.errors)")
            sum += batch.images.reduce(0.0) { $0 + Double($1) }
            n += batch.images.count
        }
        return (seconds(since: start), sum / Double(n))
    }

    private func swiftIDX() throws -> (Double, Double) {
        let start = DispatchTime.now()
        let data = try Dataset.loadIDX(images: idx)
        let elapsed = seconds(since: start)
        return (elapsed, data.images.reduce(0.0) { $0 + Double($1) } / Double(data.images.count))
    }

    private func python(_ kind: String, _ arguments: String...) throws -> (Double, Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["bench/load_reference.py", kind] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let json = try JSONSerialization.jsonObject(with: output) as? [String: Any],
              let seconds = json["seconds"] as? Double, let mean = json["mean"] as? Double else {
            throw ValidationError("\(python) bench/load_reference.py \(kind) failed (create the venv: python3 -m venv .venv-bench && .venv-bench/bin/pip install pillow numpy)")
        }
        return (seconds, mean)
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
