import Dispatch
import Foundation

/// SIGINT and SIGTERM during `fit`: the process stops at once with a message and status 128 + signal
/// (130, 143), except while a file is being written — then it stops as soon as the write is done.
/// Files are written atomically anyway (temporary name, then rename); this also leaves no stray
/// temporary file and makes the message true: the last checkpoint is complete.
final class Interruption {
    private let lock = NSLock()
    private var writing = 0
    private var pending: Int32?
    private var sources: [DispatchSourceSignal] = []
    /// What to tell the user (where the last checkpoint is), asked when a signal arrives.
    var explanation: () -> String = { "" }

    init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)   // delivered to the dispatch source instead
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [unowned self] in self.received(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func received(_ sig: Int32) {
        lock.lock()
        if writing > 0 { pending = sig; lock.unlock(); return }
        lock.unlock()
        stop(sig)
    }

    /// Runs `body` (a file write) with interruptions held back until it returns.
    func deferring<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); writing += 1; lock.unlock()
        defer {
            lock.lock(); writing -= 1
            let sig = writing == 0 ? pending : nil
            lock.unlock()
            if let sig { stop(sig) }
        }
        return try body()
    }

    private func stop(_ sig: Int32) -> Never {
        let name = sig == SIGINT ? "SIGINT" : "SIGTERM"
        let message = "\nfit: interrupted by \(name); no model was written. \(explanation())\n"
        message.withCString { _ = Foundation.write(STDERR_FILENO, $0, strlen($0)) }
        _exit(128 + sig)   // not exit(): the main thread may be mid-step, and nothing of it needs saving
    }
}
