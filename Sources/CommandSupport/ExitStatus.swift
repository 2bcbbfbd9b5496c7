import AtomicFiles
import AnomalyDetection
import ArgumentParser
import DataIO
import Foundation
import NeuralNet
import Reporting

/// The documented exit statuses (README, "Exit statuses"). Library errors are printed as
/// one line on stderr and mapped here, so a pipeline can tell what went wrong.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// `score --fail-on-outliers` found at least one outlier.
    public static let outliersFound: Int32 = 1
    /// Bad command line (swift-argument-parser's EX_USAGE).
    public static let usage: Int32 = 64
    /// An input or model file is unusable (missing, corrupt, wrong shape), or no input could be read.
    public static let badInput: Int32 = 65
    /// Training failed (the loss diverged).
    public static let trainingFailed: Int32 = 70
    /// An output exists and --force was not given.
    public static let outputExists: Int32 = 73
    /// An output could not be written (read-only or full location).
    public static let cannotWrite: Int32 = 74
    /// The binary was built for CPU features this machine lacks (x86-64: AVX2, FMA); exited by
    /// CPUCheck before main, with a message. Build with AEDETECT_PORTABLE=1 for such a machine.
    public static let cpuUnsupported: Int32 = 78

    public static func code(for error: Error) -> Int32 {
        switch error {
        case let e as ModelFileError:
            switch e {
            case .exists: return outputExists
            case .unwritable: return cannotWrite
            default: return badInput
            }
        case let e as AtomicFileError: return e.isExistingFile ? outputExists : cannotWrite
        case let e as RunFolderError: return e.isExistingRun ? outputExists : cannotWrite
        case is TrainingError: return trainingFailed
        case is DataIOError, is DetectorError, is ArchitectureError, is CalibrationError, is FileError: return badInput
        default: return badInput
        }
    }
}

/// Runs a command body; a library error becomes "error: …" on stderr and its exit status.
public func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as ExitCode { throw e } catch let e as ValidationError { throw e } catch let e as CleanExit {
        throw e
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(ExitStatus.code(for: error))
    }
}

/// A line on stderr (progress and notes; stdout is kept for results).
public func note(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
