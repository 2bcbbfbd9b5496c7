import Foundation
import XCTest
@testable import NeuralNet

final class BLASThreadsTests: XCTestCase {
    private var saved = 1
    override func setUp() { saved = BLASThreads.current }
    override func tearDown() { BLASThreads.set(saved) }

    /// `--threads 1` sets OpenBLAS to one thread; our own two-way splits must then run both
    /// parts, in order, on the calling thread.
    func testOneThreadRunsBothPartsInOrderOnTheCallingThread() {
        BLASThreads.set(1)
        let caller = pthread_self()
        var order: [Int] = []
        var sameThread = true
        BLASThreads.twoParts { part in
            order.append(part)
            sameThread = sameThread && pthread_equal(pthread_self(), caller) != 0
        }
        XCTAssertEqual(order, [0, 1])
        XCTAssertTrue(sameThread)
        XCTAssertEqual(BLASThreads.current, 1)
    }

    /// With two threads both parts run, OpenBLAS is single-threaded inside them (so a nested
    /// split stays serial) and gets its thread count back afterwards.
    func testTwoThreadsRunBothPartsWithOpenBLASSingleThreadedInside() throws {
        BLASThreads.set(2)
        guard BLASThreads.current == 2 else { throw XCTSkip("OpenBLAS here has one thread") }
        let ran = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        defer { ran.deallocate() }
        BLASThreads.twoParts { part in ran[part] = BLASThreads.current }
        XCTAssertEqual([ran[0], ran[1]], [1, 1])
        XCTAssertEqual(BLASThreads.current, 2)
    }
}
