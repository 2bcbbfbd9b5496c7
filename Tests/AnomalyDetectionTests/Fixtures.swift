import Foundation

/// Paths of the committed fixtures, found from this file's location.
enum Fixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures").path
    }()
    static var trainImages: String { root + "/mnist/train-images-idx3-ubyte.gz" }
    static var trainLabels: String { root + "/mnist/train-labels-idx1-ubyte.gz" }
    static var digits: String { root + "/digits" }
    static var broken: String { root + "/broken" }
}
