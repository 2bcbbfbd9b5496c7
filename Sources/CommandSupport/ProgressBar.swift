import Foundation
import NeuralNet

/// Draws training progress on stderr: a redrawn bar on a terminal, one plain line per
/// epoch otherwise (logs, CI), nothing with `quiet`.
public final class ProgressBar {
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let started = Date()
    private var epochStarted = Date()
    private var samplesPerStep: Int
    private var lastDraw = Date.distantPast

    public init(quiet: Bool, batchSize: Int) {
        self.quiet = quiet
        self.samplesPerStep = batchSize
    }

    public func handle(_ event: TrainingEvent) {
        guard !quiet else { return }
        switch event {
        case let .step(epoch, epochs, step, steps, loss):
            if step == 0 { epochStarted = Date() }
            guard isTerminal, Date().timeIntervalSince(lastDraw) > 0.1 || step == steps - 1 else { return }
            lastDraw = Date()
            let done = Double(step + 1) / Double(steps)
            let elapsed = Date().timeIntervalSince(epochStarted)
            let rate = Double((step + 1) * samplesPerStep) / max(elapsed, 1e-9)
            let eta = elapsed / done * (1 - done) + Double(epochs - epoch - 1) * elapsed / done
            let width = 24, filled = Int(done * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            write("\r\u{1B}[2K" + String(format: "epoch %d/%d %@ %d/%d loss %.5f  %.0f samples/s  ETA %@",
                                         epoch + 1, epochs, bar, step + 1, steps, loss, rate, duration(eta)))
        case let .epochEnd(epoch, epochs, loss, val, seconds):
            let valText = val.map { String(format: "  val_loss %.5f", $0) } ?? ""
            let line = String(format: "epoch %d/%d  loss %.5f", epoch + 1, epochs, loss) + valText
                + String(format: "  %.2fs", seconds)
            write((isTerminal ? "\r\u{1B}[2K" : "") + line + "\n")
        }
    }

    public func finish(_ message: String) {
        guard !quiet else { return }
        write(message + String(format: " (%@)\n", duration(Date().timeIntervalSince(started))))
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    private func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s % 3600 / 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
