import Foundation
import XCTest

/// Paths of the package's data for tests, found from this file's location.
enum TestFiles {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let fixtures = packageRoot + "/fixtures"
    static let shared = packageRoot + "/../shared/data"

    /// ../shared is for developers and CI only; tests that need it skip where it is absent.
    static func requireShared(_ sub: String) throws -> String {
        let path = shared + "/" + sub
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is absent (../shared/data is only on developer and CI machines)")
        }
        return path
    }

    /// A fresh empty temporary folder.
    static func temporaryFolder(_ name: String = #function) throws -> String {
        let path = NSTemporaryDirectory() + "dataio-tests-\(getpid())-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
