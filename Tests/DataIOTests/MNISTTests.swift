import XCTest
@testable import DataIO

/// The full MNIST set in ../shared/data/mnist (skipped where absent).
final class MNISTTests: XCTestCase {
    private func counts(_ labels: [Int]) -> [Int] {
        var c = [Int](repeating: 0, count: 10)
        for l in labels { c[l] += 1 }
        return c
    }

    func testFullTrainingAndTestSetsLoadWithKnownLabelCountsAndMean() throws {
        let dir = try TestFiles.requireShared("mnist") + "/"
        let train = try Dataset.loadIDX(images: dir + "train-images-idx3-ubyte.gz", labels: dir + "train-labels-idx1-ubyte.gz")
        XCTAssertEqual(train.shape, [60000, 28, 28, 1])
        XCTAssertEqual(counts(train.labels!), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        let mean = train.images.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + Double($1) } } / Double(train.images.count)
        XCTAssertEqual(mean * 255, 33.318, accuracy: 0.0005)
        let test = try Dataset.loadIDX(images: dir + "t10k-images-idx3-ubyte.gz", labels: dir + "t10k-labels-idx1-ubyte.gz")
        XCTAssertEqual(test.shape, [10000, 28, 28, 1])
        XCTAssertEqual(counts(test.labels!), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }
}
