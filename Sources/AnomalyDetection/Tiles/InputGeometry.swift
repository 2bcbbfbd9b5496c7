import DataIO

/// The geometry a model is fitted at when the data decides it: the most common image size
/// among the inputs, in colour when most of those images are colour.
public struct InputGeometry: Equatable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int
    /// Inputs of the chosen size, of another size, and whose header could not be read.
    public var matching = 0, otherSize = 0, unreadable = 0

    public init(height: Int, width: Int, channels: Int) {
        self.height = height; self.width = width; self.channels = channels
    }

    /// Surveys the headers of `inputs.items[positions]`. Nil when no header is readable.
    public static func survey(_ inputs: InputSet, positions: [Int]) -> InputGeometry? {
        struct Size: Hashable { let height: Int, width: Int }
        var sizes: [Size: (count: Int, colour: Int, first: Int)] = [:]
        var unreadable = 0
        for (k, p) in positions.enumerated() {
            guard let h = inputs.header(of: inputs.items[p]) else { unreadable += 1; continue }
            let size = Size(height: h.height, width: h.width)
            let seen = sizes[size] ?? (0, 0, k)
            sizes[size] = (seen.count + 1, seen.colour + (h.isColour ? 1 : 0), seen.first)
        }
        // Most common size; ties go to the size seen first, so the choice follows the walk order.
        guard let best = sizes.max(by: { ($0.value.count, -$0.value.first) < ($1.value.count, -$1.value.first) }) else { return nil }
        var g = InputGeometry(height: best.key.height, width: best.key.width, channels: 2 * best.value.colour > best.value.count ? 3 : 1)
        g.matching = best.value.count
        g.otherSize = positions.count - unreadable - best.value.count
        g.unreadable = unreadable
        return g
    }

    public var description: String { "\(height)×\(width)×\(channels)" }
}
