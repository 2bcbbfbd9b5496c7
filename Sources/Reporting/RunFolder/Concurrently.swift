import Dispatch

/// Runs independent pieces of work on all cores and waits for them all.
enum Concurrently {
    /// Runs every task (the first ones start first); then throws the error of the first task,
    /// in list order, that failed, so which error is reported does not depend on timing.
    static func run(_ tasks: [() throws -> Void]) throws {
        let errors = UnsafeMutableBufferPointer<Error?>.allocate(capacity: tasks.count)
        errors.initialize(repeating: nil)
        defer { errors.deinitialize(); errors.deallocate() }
        DispatchQueue.concurrentPerform(iterations: tasks.count) { i in
            do { try tasks[i]() } catch { errors[i] = error }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
    }

    /// `transform` of every element, computed on all cores, in the order of `items`.
    static func map<T, U>(_ items: [T], _ transform: (T) throws -> U) throws -> [U] {
        let results = UnsafeMutableBufferPointer<U?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        try withoutActuallyEscaping(transform) { transform in
            try run(items.indices.map { i in { results[i] = try transform(items[i]) } })
        }
        return results.map { $0! }
    }
}
