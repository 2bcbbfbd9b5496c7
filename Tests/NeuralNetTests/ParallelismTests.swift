import COpenBLAS
import Foundation
import XCTest
@testable import NeuralNet

final class ParallelismTests: XCTestCase {
    /// The pieces of 0..<count are contiguous, cover it once, and differ in size by one at most.
    func testRangesCoverTheCountOnceInOrder() {
        for count in [0, 1, 5, 16, 17, 100] {
            for n in 1...7 {
                let ranges = (0..<n).map { Parallelism.range($0, of: n, count) }
                XCTAssertEqual(ranges.first?.lowerBound, 0)
                XCTAssertEqual(ranges.last?.upperBound, count)
                for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
                let sizes = ranges.map(\.count)
                XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "\(count) in \(n)")
            }
        }
    }

    /// One thread: the whole range, on the calling thread.
    func testSerialRunsOnTheCallingThread() {
        let caller = pthread_self()
        var calls: [(Range<Int>, Int)] = []
        var sameThread = true
        Parallelism.serial.split(10) { range, part in
            calls.append((range, part))
            sameThread = sameThread && pthread_equal(pthread_self(), caller) != 0
        }
        XCTAssertEqual(calls.map(\.0), [0..<10])
        XCTAssertEqual(calls.map(\.1), [0])
        XCTAssertTrue(sameThread)
        var pieces: [Int] = []
        Parallelism.serial.forEach(4) { piece, part in pieces.append(piece); XCTAssertEqual(part, 0) }
        XCTAssertEqual(pieces, [0, 1, 2, 3])
    }

    /// Every piece runs once, on a thread numbered below the part count; the parts run at the
    /// same time (part 0 waits for the others: run one after the other it would time out), with
    /// OpenBLAS single-threaded inside and its count restored after.
    func testForEachRunsEveryPieceOnceOnThatManyThreadsAtOnce() {
        let parts = 3, pieces = 40
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: pieces)
        runs.initialize(repeating: 0, count: pieces)
        defer { runs.deallocate() }
        let threadOK = UnsafeMutablePointer<Bool>.allocate(capacity: pieces)
        threadOK.initialize(repeating: false, count: pieces)
        defer { threadOK.deallocate() }
        Parallelism(parts: parts).forEach(pieces) { piece, part in
            runs[piece] += 1
            threadOK[piece] = part < parts && openblas_get_num_threads() == 1
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: runs, count: pieces)), [Int](repeating: 1, count: pieces))
        XCTAssertTrue(UnsafeBufferPointer(start: threadOK, count: pieces).allSatisfy { $0 })

        BLASThreads.set(2)
        defer { BLASThreads.set(Parallelism.machine.parts) }
        let othersRan = DispatchSemaphore(value: 0)
        var waited = [DispatchTimeoutResult](repeating: .timedOut, count: 2)
        Parallelism(parts: parts).split(parts) { range, part in
            if part == 0 {
                waited = [othersRan.wait(timeout: .now() + 10), othersRan.wait(timeout: .now() + 10)]
            } else {
                othersRan.signal()
            }
        }
        XCTAssertEqual(waited, [.success, .success], "the parts ran at the same time")
        XCTAssertEqual(BLASThreads.current, 2)
    }

    /// A model hands its parallelism to its layers; a replica runs on one thread.
    func testAModelsLayersFollowItsParallelism() throws {
        let model = try Sequential(architecture: Presets.conv, seed: 1, parallelism: Parallelism(parts: 5))
        let threaded = model.layers.compactMap { $0 as? ThreadedLayer }
        XCTAssertEqual(threaded.count, 5, "Conv2D, MaxPooling2D, Dense, Conv2DTranspose, Conv2D")
        XCTAssertTrue(threaded.allSatisfy { $0.parallelism.parts == 5 })
        model.parallelism = Parallelism(parts: 3)
        XCTAssertTrue(threaded.allSatisfy { $0.parallelism.parts == 3 })
        XCTAssertTrue(model.replica().layers.compactMap { $0 as? ThreadedLayer }.allSatisfy { $0.parallelism == .serial })
    }

    /// The chapter's presets and the conv detector: two training steps and a prediction give the
    /// same bits on 1, 2, 3 and 5 threads (batches that split unevenly, pieces summed in order).
    func testTrainingAndInferenceDoNotDependOnTheThreadCount() throws {
        let cases: [(Architecture, [Int])] = [
            (Presets.dense, [784]), (Presets.conv, [28, 28, 1]), (Presets.denoise, [28, 28, 1]),
            (Presets.lstm, [28, 28]), (Presets.detector, [784]), (Presets.convDetector(tile: 32, channels: 3), [32, 32, 3]),
        ]
        for (arch, shape) in cases {
            let n = 90, item = shape.reduce(1, *)
            let x = randomTensor([n] + shape, seed: 4, low: 0, high: 1)
            func run(_ threads: Int) throws -> [Float] {
                let model = try Sequential(architecture: arch, seed: 3, parallelism: Parallelism(parts: threads))
                var options = TrainingOptions(for: arch, epochs: 2, seed: 3)
                options.batchSize = 75  // three pieces of BatchPieces, then one
                try Trainer(model: model, options: options).fit(x)
                let y = model.predict(x)
                return model.parameters.flatMap(\.value.array) + Array(UnsafeBufferPointer(start: y.ptr, count: n * item))
            }
            let one = try run(1)
            for threads in [2, 3, 5] {
                let other = try run(threads)
                let first = one.indices.first { one[$0] != other[$0] }
                XCTAssertNil(first, "\(arch.name): \(threads) threads differ from one at value \(first ?? -1) of \(one.count)")
            }
        }
    }
}
