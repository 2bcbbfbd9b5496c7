import Foundation

/// Paths of the committed fixtures, from this file's place in the repository.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static func keras(_ name: String) -> String { path("fixtures/keras/\(name).keras") }
}
