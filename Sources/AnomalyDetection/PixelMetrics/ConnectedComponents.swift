/// The connected components of a binary mask (row-major, height × width).
struct ConnectedComponents {
    enum Connectivity { case four, eight }

    /// Per pixel: its component's index, or −1 outside the mask. Indices follow the first pixel of
    /// each component in row-major order.
    let labels: [Int32]
    /// Pixel count of each component.
    let sizes: [Int]

    var count: Int { sizes.count }

    init(mask: [Bool], height: Int, width: Int, connectivity: Connectivity = .eight) {
        precondition(mask.count == height * width, "mask has \(mask.count) pixels, not \(height)×\(width)")
        let offsets = connectivity == .eight
            ? [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]
            : [(-1, 0), (0, -1), (0, 1), (1, 0)]
        var labels = [Int32](repeating: -1, count: mask.count)
        var sizes: [Int] = []
        var stack: [Int] = []
        for seed in mask.indices where mask[seed] && labels[seed] < 0 {
            let label = Int32(sizes.count)
            labels[seed] = label
            stack.append(seed)
            var size = 0
            while let p = stack.popLast() {
                size += 1
                let y = p / width, x = p % width
                for (dy, dx) in offsets {
                    let ny = y + dy, nx = x + dx
                    guard ny >= 0, ny < height, nx >= 0, nx < width else { continue }
                    let q = ny * width + nx
                    if mask[q] && labels[q] < 0 {
                        labels[q] = label
                        stack.append(q)
                    }
                }
            }
            sizes.append(size)
        }
        self.labels = labels
        self.sizes = sizes
    }
}
