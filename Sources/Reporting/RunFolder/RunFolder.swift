import AtomicFiles
import Foundation

/// Writes a run folder: scores.csv, outliers.csv, summary.json, report.html, report.md, grids/
/// (see `RunFiles`) and maps/ (see `MapFiles`; with `MapsMode.all` the caller has written it,
/// with `AllMaps`, and it is left as it is).
///
/// Each file is written atomically. While the folder is being written it holds `.incomplete`
/// (the command and the start time), created first and removed last, so a crash leaves a folder
/// that says it is incomplete rather than one that looks finished.
///
/// A folder that is empty, missing, or marked incomplete (an earlier run crashed) is written
/// into; a non-empty folder without the marker (a finished run, or anything else) only with
/// `force`. Files of an earlier run that this run does not produce (ROC curves after an
/// evaluation, say) are removed so the folder describes one run.
public enum RunFolder {
    public static func write(_ report: RunReport, to dir: URL, force: Bool) throws {
        try checkWritable(dir, force: force)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let marker = dir.appendingPathComponent(RunFiles.incompleteMarker)
        try AtomicFile.write("\(report.context.command) started \(Format.iso8601(Date()))\n", to: marker, force: true)
        // grids/ always gets the score histogram; made here, not by the writers racing each other.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(RunFiles.histogramChart).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        if report.maps != .all { MapFiles.clear(dir) }
        let maps = mapWriters(report)
        if !maps.isEmpty {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(MapFiles.folder), withIntermediateDirectories: true)
        }
        try Concurrently.run(writers(report).map { name, write in { try write(dir.appendingPathComponent(name)) } }
                             + maps.map { write in { try write(dir) } })
        // Last: a summary means the rest is there.
        try AtomicFile.write(try SummaryJSON.data(report), to: dir.appendingPathComponent(RunFiles.summary), force: true)
        let written = Set(RunFiles.written(report))
        for stale in RunFiles.all where !written.contains(stale) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(stale))
        }
        try FileManager.default.removeItem(at: marker)
    }

    /// A finished run: the summary is there and the incomplete marker is not.
    public static func isComplete(_ dir: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: dir.appendingPathComponent(RunFiles.summary).path)
            && !fm.fileExists(atPath: dir.appendingPathComponent(RunFiles.incompleteMarker).path)
    }

    static func checkWritable(_ dir: URL, force: Bool) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: dir.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw RunFolderError(folder: dir.path, reason: "exists and is not a folder") }
        if force || fm.fileExists(atPath: dir.appendingPathComponent(RunFiles.incompleteMarker).path) { return }
        let entries = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
        guard entries.isEmpty else {
            let what = isComplete(dir) ? "holds a finished run" : "is not empty"
            throw RunFolderError(folder: dir.path, reason: "\(what); choose another --out folder or pass --force to replace it")
        }
    }

    /// Every file of the run folder but the summary, each with how to write it (atomically),
    /// the longest to make first. They are independent, so they are made on all cores.
    static func writers(_ report: RunReport) -> [(String, (URL) throws -> Void)] {
        func bytes(_ make: @escaping () throws -> Data) -> (URL) throws -> Void {
            { url in try AtomicFile.write(try make(), to: url, force: true) }
        }
        let maximum = ReconstructionGrid.sharedErrorMaximum(report)
        var files: [(String, (URL) throws -> Void)] = [(RunFiles.html, bytes { Data(try HTMLReport.html(report).utf8) })]
        if !report.topOutliers.isEmpty {
            files.append((RunFiles.outlierGrid, bytes { try ReconstructionGrid(examples: report.topOutliers, errorMaximum: maximum).png() }))
        }
        if !report.typicalInliers.isEmpty {
            files.append((RunFiles.inlierGrid, bytes { try ReconstructionGrid(examples: report.typicalInliers, errorMaximum: maximum).png() }))
        }
        files.append((RunFiles.scores, { url in try AtomicFile.write(to: url, force: true) { try ScoresTable.writeScores(report, to: $0) } }))
        files.append((RunFiles.outliers, { url in try AtomicFile.write(to: url, force: true) { try ScoresTable.writeOutliers(report, to: $0) } }))
        files.append((RunFiles.histogramChart, bytes { Data(ReportCharts.histogram(report).utf8) }))
        if let loss = ReportCharts.loss(report.history) { files.append((RunFiles.lossChart, bytes { Data(loss.utf8) })) }
        if let e = report.evaluation {
            files.append((RunFiles.rocChart, bytes { Data(ReportCharts.roc(e).utf8) }))
            files.append((RunFiles.precisionRecallChart, bytes { Data(ReportCharts.precisionRecall(e).utf8) }))
        }
        files.append((RunFiles.markdown, bytes { Data(MarkdownReport.markdown(report).utf8) }))
        return files
    }
}

extension RunFolder {
    /// The shown outliers' maps, each written with `MapFiles.write` into the run folder given
    /// (for `MapsMode.top` only: `all` wrote them before, `none` writes none).
    static func mapWriters(_ report: RunReport) -> [(URL) throws -> Void] {
        guard report.maps == .top, let scale = MapScale(report) else { return [] }
        return zip(report.topOutliers, MapFiles.shown(report)).compactMap { e, base in
            guard let base, let map = e.map else { return nil }
            return { dir in try MapFiles.write(e, map: map, scale: scale, base: base, in: dir) }
        }
    }
}

public struct RunFolderError: Error, LocalizedError, CustomStringConvertible, Equatable {
    public let folder: String
    public let reason: String
    public var description: String { "\(folder): \(reason)" }
    public var errorDescription: String? { description }
    /// The folder holds a finished run (or other files) and --force was not given.
    public var isExistingRun: Bool { reason.hasSuffix("pass --force to replace it") }
}
