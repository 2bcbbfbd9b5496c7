import Foundation
import XCTest
@testable import NeuralNet

final class BLASThreadsTests: XCTestCase {
    private var saved = 1
    override func setUp() { saved = BLASThreads.budget }
    override func tearDown() { BLASThreads.use(saved) }

    /// `--threads 1` sets a budget of one thread; our own two-way splits must then run both
    /// parts, in order, on the calling thread.
    func testABudgetOfOneRunsBothPartsInOrderOnTheCallingThread() {
        BLASThreads.use(1)
        XCTAssertEqual(BLASThreads.current, 1, "OpenBLAS follows the budget")
        let caller = pthread_self()
        var order: [Int] = []
        var sameThread = true
        BLASThreads.twoParts { part in
            order.append(part)
            sameThread = sameThread && pthread_equal(pthread_self(), caller) != 0
        }
        XCTAssertEqual(order, [0, 1])
        XCTAssertTrue(sameThread)
    }

    /// On a budget of two both parts run with OpenBLAS single-threaded inside them, also when
    /// the caller had already set OpenBLAS to one thread for its small GEMMs (the trainer's
    /// chunks), and OpenBLAS gets its thread count back afterwards.
    func testABudgetOfTwoSplitsEvenWhileOpenBLASIsSingleThreaded() throws {
        BLASThreads.use(2)
        guard BLASThreads.current == 2 else { throw XCTSkip("OpenBLAS here has one thread") }
        let ran = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        defer { ran.deallocate() }
        BLASThreads.twoParts { part in ran[part] = BLASThreads.current }
        XCTAssertEqual([ran[0], ran[1]], [1, 1])
        XCTAssertEqual(BLASThreads.current, 2)

        BLASThreads.set(1)
        // Part 0 waits for part 1: run one after the other, it would time out.
        let partOneRan = DispatchSemaphore(value: 0)
        var waited = DispatchTimeoutResult.timedOut
        BLASThreads.twoParts { part in
            if part == 0 { waited = partOneRan.wait(timeout: .now() + 10) } else { partOneRan.signal() }
        }
        XCTAssertEqual(waited, .success, "the parts ran at the same time")
        XCTAssertEqual(BLASThreads.current, 1)
    }

    /// A split inside a part of another (the layers' own, inside the trainer's halves of a
    /// batch) runs its parts in order on that part's thread: both cores are already busy.
    func testASplitInsideASplitRunsItsPartsInOrderOnThePartsThread() {
        BLASThreads.use(2)
        let inner = UnsafeMutablePointer<(order: [Int], sameThread: Bool)>.allocate(capacity: 2)
        inner.initialize(repeating: ([], true), count: 2)
        defer { inner.deinitialize(count: 2); inner.deallocate() }
        BLASThreads.twoParts { outer in
            let thread = pthread_self()
            BLASThreads.twoParts { part in
                inner[outer].order.append(part)
                inner[outer].sameThread = inner[outer].sameThread && pthread_equal(pthread_self(), thread) != 0
            }
        }
        for outer in 0..<2 {
            XCTAssertEqual(inner[outer].order, [0, 1])
            XCTAssertTrue(inner[outer].sameThread)
        }
        // Outside any split, splits run on two threads again.
        let partOneRan = DispatchSemaphore(value: 0)
        var waited = DispatchTimeoutResult.timedOut
        BLASThreads.twoParts { part in
            if part == 0 { waited = partOneRan.wait(timeout: .now() + 10) } else { partOneRan.signal() }
        }
        XCTAssertEqual(waited, .success)
    }
}
