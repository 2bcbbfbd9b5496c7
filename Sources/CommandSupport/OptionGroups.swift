import AnomalyDetection
import ArgumentParser
import Foundation
import NeuralNet

// The options several commands share, declared once so that their names, defaults and help
// read the same everywhere (`@OptionGroup var threads: ThreadsOption`, …).

/// `--threads N`.
public struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads for aedetect's kernels and OpenBLAS (default: the machine's available cores). Results are the same for any count.")
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}

    public func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The threads our own kernels share work between; models take it as `parallelism`.
    public var parallelism: Parallelism { Parallelism(parts: threads) }

    /// Sets OpenBLAS's thread count for the run and returns the count.
    @discardableResult
    public func apply() -> Int {
        BLASThreads.set(threads)
        return threads
    }
}

/// `--batch-size N`: nil means the command's default (the architecture's, unless the command says otherwise).
public struct BatchSizeOption: ParsableArguments {
    @Option(help: "Samples per optimisation step or per inference batch (default: the architecture's, unless the command's description says otherwise).")
    public var batchSize: Int?

    public init() {}

    public func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }
}

/// `--preset P` or `--arch FILE`.
public struct ArchitectureOptions: ParsableArguments {
    @Option(help: "Architecture preset: \(Presets.names.joined(separator: ", ")).")
    public var preset: String?

    @Option(help: "Architecture file (JSON, the presets' layer vocabulary) instead of a preset.")
    public var arch: String?

    public init() {}

    public func validate() throws {
        if preset != nil && arch != nil { throw ValidationError("give --preset or --arch, not both") }
    }

    public var isGiven: Bool { preset != nil || arch != nil }

    /// The architecture asked for, or the preset `fallback` when neither option is given.
    public func architecture(default fallback: String = Presets.defaultName) throws -> Architecture {
        if let arch { return try Architecture.load(contentsOf: URL(fileURLWithPath: arch)) }
        return try Presets.named(preset ?? fallback)
    }
}

/// `--scoring RULE`.
public struct ScoringOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Anomaly score: pixel_mse, or smoothed_mse:σ[:p[:g]] (residual blurred by σ pixels, divided by ink^p and detail^g) optionally followed by +ssim:w[:σ] (structural dissimilarity) and +latent:w (distance of the code, needs an encoder layer) (default: the architecture's).",
        valueName: "rule"))
    public var scoring: String?

    public init() {}

    public func validate() throws {
        if let scoring { do { _ = try ScoringRule(parsing: scoring) } catch { throw ValidationError("--scoring: \(error)") } }
    }

    /// The rule asked for, or the architecture's recommended one.
    public func rule(for architecture: Architecture) throws -> ScoringRule {
        try scoring.map { try ScoringRule(parsing: $0) } ?? .recommended(forArchitecture: architecture.name)
    }
}

/// `--quiet`.
public struct QuietOption: ParsableArguments {
    @Flag(help: "No progress output on stderr (results and errors are still printed).")
    public var quiet = false

    public init() {}
}

/// `--force`.
public struct ForceOption: ParsableArguments {
    @Flag(help: "Overwrite existing outputs at --out (the file, the files in the folder, or a complete run folder).")
    public var force = false

    public init() {}
}

/// The version `--version` prints and reports record.
public enum ToolVersion {
    public static let string = "0.1.0"
}
