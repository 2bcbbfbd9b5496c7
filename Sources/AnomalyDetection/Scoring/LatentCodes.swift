import DataIO
import NeuralNet

/// The encoder's output for each input (the latent vector), for dimensionality reduction.
public struct LatentCodes {
    public struct Row {
        public let path: String
        public let code: [Float]?
        public let message: String?
    }

    public let size: Int
    public let rows: [Row]

    public static func compute(detector: Detector, inputs: InputSet, batchSize: Int = 1000) throws -> LatentCodes {
        let model = detector.model
        guard let e = model.architecture.encoderLayer else {
            throw DetectorError.input("the \(model.architecture.name) architecture names no encoder layer")
        }
        if let grid = detector.preprocessing.grid, grid.count > 1 {
            throw DetectorError.input("the model reads \(grid.height)×\(grid.width) images as \(grid.count) tiles of \(grid.tile)×\(grid.tile), so an image has no single code; encode takes models whose input is the whole image")
        }
        let size = Tensor.elementCount(model.layers[e].outputShape)
        var rows: [Row?] = Array(repeating: nil, count: inputs.count)
        var start = 0
        while start < inputs.count {
            let chunk = start..<min(start + batchSize, inputs.count)
            let batch = inputs.load(chunk, options: detector.preprocessing.loadOptions)
            if !batch.loaded.isEmpty {
                let x = Tensor(shape: [batch.loaded.count] + model.inputShape, values: batch.images)
                let z = try model.encode(x)
                for (k, p) in batch.loaded.enumerated() {
                    rows[p] = Row(path: inputs.path(of: inputs.items[p]), code: Array(z.buffer[(k * size)..<((k + 1) * size)]), message: nil)
                }
            }
            for (p, reason) in batch.failed { rows[p] = Row(path: inputs.path(of: inputs.items[p]), code: nil, message: reason) }
            start = chunk.upperBound
        }
        return LatentCodes(size: size, rows: rows.map { $0! })
    }

    /// Float32 [N, size] of the readable inputs, in order.
    public func idxArray() -> IDXArray {
        let ok = rows.compactMap(\.code)
        return IDXArray(type: .float32, shape: [ok.count, size], values: ok.flatMap { $0.map(Double.init) })
    }
}
