import Dispatch

/// A value computed on a background thread from the moment it is created; `value` waits
/// for it. The scorer decodes the next batch this way while the model runs on the current one.
final class Prefetch<T> {
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping () -> T) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = work()
            self.done.signal()
        }
    }

    var value: T {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
