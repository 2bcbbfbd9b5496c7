import Foundation

/// A network description: input shape, layers, loss and the training defaults that go
/// with them. Presets are values of this type; an architecture file is its JSON form.
public struct Architecture: Codable, Equatable, Sendable {
    public var name: String
    public var inputShape: [Int]
    public var layers: [LayerSpec]
    public var loss: Loss
    public var learningRate: Float
    public var batchSize: Int
    /// Index of the layer whose output is the latent code (for `encode`).
    public var encoderLayer: Int?
    /// σ of the input noise clip(x + σ·N(0,1), 0, 1) used in training (denoising), if any.
    public var trainingNoise: Float?

    public init(name: String, inputShape: [Int], layers: [LayerSpec], loss: Loss, learningRate: Float,
                batchSize: Int, encoderLayer: Int? = nil, trainingNoise: Float? = nil) {
        self.name = name; self.inputShape = inputShape; self.layers = layers; self.loss = loss
        self.learningRate = learningRate; self.batchSize = batchSize
        self.encoderLayer = encoderLayer; self.trainingNoise = trainingNoise
    }

    enum CodingKeys: String, CodingKey {
        case name, inputShape = "input_shape", layers, loss, learningRate = "learning_rate"
        case batchSize = "batch_size", encoderLayer = "encoder_layer", trainingNoise = "training_noise"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? "custom"
        inputShape = try c.decode([Int].self, forKey: .inputShape)
        layers = try c.decode([LayerSpec].self, forKey: .layers)
        loss = try c.decodeIfPresent(Loss.self, forKey: .loss) ?? .meanSquaredError
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? 0.001
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? 100
        encoderLayer = try c.decodeIfPresent(Int.self, forKey: .encoderLayer)
        trainingNoise = try c.decodeIfPresent(Float.self, forKey: .trainingNoise)
    }

    /// Reads an architecture file; every problem (bad JSON, unknown layer, a shape that
    /// does not fit) is reported here, before any training starts.
    public static func load(contentsOf url: URL) throws -> Architecture {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ArchitectureError.unreadable(url.path, error.localizedDescription)
        }
        let arch: Architecture
        do { arch = try JSONDecoder().decode(Architecture.self, from: data) } catch let e as ArchitectureError {
            throw ArchitectureError.invalid(url.path, e.description)
        } catch {
            throw ArchitectureError.invalid(url.path, ArchitectureError.describe(error))
        }
        do { try arch.validate() } catch let e as ArchitectureError {
            throw ArchitectureError.invalid(url.path, e.description)
        }
        return arch
    }

    public func jsonString(pretty: Bool = false) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return String(decoding: try! enc.encode(self), as: UTF8.self)
    }

    /// Checks shapes layer by layer without keeping the weights.
    public func validate() throws {
        var rng = SeededRandom(seed: 0)
        _ = try buildLayers(rng: &rng)
    }

    /// Builds every layer in order, threading each output shape into the next layer.
    public func buildLayers(rng: inout SeededRandom) throws -> [Layer] {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureError.badInput(inputShape)
        }
        guard !layers.isEmpty else { throw ArchitectureError.empty }
        var shape = inputShape
        var built: [Layer] = []
        for (i, spec) in layers.enumerated() {
            do {
                let layer = try spec.makeLayer(inputShape: shape, rng: &rng)
                built.append(layer)
                shape = layer.outputShape
            } catch let e as ShapeError {
                throw ArchitectureError.shape(layer: i, type: spec.kerasName, message: e.message)
            }
        }
        if let e = encoderLayer, !(0..<layers.count).contains(e) {
            throw ArchitectureError.encoder(e, layers.count)
        }
        return built
    }
}
