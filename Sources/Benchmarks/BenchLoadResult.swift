import Foundation

/// Medians and ratios of a `bench load` run, as Markdown.
struct BenchLoadResult {
    let times: [String: [Double]]
    let means: [String: Double]
    let pngCount: Int
    let jpegCount: Int
    let idxCount: Int
    let repetitions: Int
    /// The 1-minute load average when the run began (nil where /proc/loadavg is absent): on a shared
    /// machine the times stretch with it, the ratios of alternating runs much less.
    var loadAverage: Double? = nil

    func median(_ name: String) -> Double {
        let t = times[name, default: [.nan]].sorted()
        return t.count % 2 == 1 ? t[t.count / 2] : (t[t.count / 2 - 1] + t[t.count / 2]) / 2
    }

    var markdown: String {
        let pillow = median("pillow"), swiftPNG = median("swift-png"), numpy = median("numpy"), swiftIDX = median("swift-idx")
        let pillowJPEG = median("pillow-jpeg"), swiftJPEG = median("swift-jpeg")
        func row(_ what: String, _ t: Double, _ n: Int, _ mean: String) -> String {
            String(format: "| %@ | %.1f | %.0f | %@ |", what, t * 1000, Double(n) / t, means[mean].map { String(format: "%.5f", $0) } ?? "?")
        }
        return """
        ## Data loading

        `aedetect bench load` (release build), \(ProcessInfo.processInfo.activeProcessorCount) cores\
        \(loadAverage.map { String(format: " (load average %.2f at the start)", $0) } ?? ""), \
        median of \(repetitions) alternating runs, \(dateString()). Python times are measured inside the \
        interpreter (start-up and imports excluded). Both sides produce float32 [N, 28, 28, 1] in [0, 1]; \
        the means show they decoded the same pixels.

        | loader | ms | images/s | pixel mean |
        | --- | ---: | ---: | ---: |
        \(row("Pillow, \(pngCount) PNG files, 1 process", pillow, pngCount, "pillow"))
        \(row("aedetect, \(pngCount) PNG files, all cores", swiftPNG, pngCount, "swift-png"))
        \(row("Pillow, \(jpegCount) JPEG files (quality 95), 1 process", pillowJPEG, jpegCount, "pillow-jpeg"))
        \(row("aedetect, \(jpegCount) JPEG files (quality 95), all cores", swiftJPEG, jpegCount, "swift-jpeg"))
        \(row("Python gzip + numpy.frombuffer, 60,000-image gzipped IDX", numpy, idxCount, "numpy"))
        \(row("aedetect, 60,000-image gzipped IDX", swiftIDX, idxCount, "swift-idx"))

        PNG folder: aedetect is \(String(format: "%.2f", pillow / swiftPNG))× Pillow (target ≥ 2×). \
        JPEG folder: aedetect is \(String(format: "%.2f", pillowJPEG / swiftJPEG))× Pillow (target ≥ 2×). \
        IDX: aedetect is \(String(format: "%.2f", numpy / swiftIDX))× Python (target ≥ 1×).


        """
    }

    private func dateString() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }

    /// Replaces the report's "## Data loading" section (up to the next "## ") or appends it.
    func write(toReport path: String) throws {
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Performance\n\n"
        if let start = text.range(of: "## Data loading") {
            let after = text[start.upperBound...].range(of: "\n## ")
            let end = after.map { text.index(after: $0.lowerBound) } ?? text.endIndex
            text.replaceSubrange(start.lowerBound..<end, with: markdown)
        } else {
            if !text.hasSuffix("\n\n") { text += text.hasSuffix("\n") ? "\n" : "\n\n" }
            text += markdown
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
