import Dispatch

/// A value computed on a background thread from the moment it is created; `value` waits
/// for it. The scorer decodes the next batch this way while the model runs on the current one.
/// Not in the background, the value is computed when first asked for, on the asking thread.
final class Prefetch<T> {
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    private var pending: (() -> T)?

    init(inBackground: Bool = true, _ work: @escaping () -> T) {
        guard inBackground else {
            pending = work
            return
        }
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = work()
            self.done.signal()
        }
    }

    var value: T {
        if let work = pending {
            pending = nil
            result = work()
            done.signal()
        }
        done.wait()
        defer { done.signal() }
        return result!
    }
}
