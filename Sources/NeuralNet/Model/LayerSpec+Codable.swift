/// JSON form of a layer: `{"type": "Conv2D", "filters": 10, "kernel_size": [5, 5], ...}`.
/// `kernel_size`, `strides` and `pool_size` accept a number or a pair, as in Keras.
extension LayerSpec: Codable {
    enum Key: String, CodingKey {
        case type, units, activation, filters, kernel_size, strides, padding, pool_size
        case target_shape, return_sequences, merge_mode
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        func act() throws -> Activation { try c.decodeIfPresent(Activation.self, forKey: .activation) ?? .linear }
        func pad() throws -> Padding { try c.decodeIfPresent(Padding.self, forKey: .padding) ?? .valid }
        func pair(_ k: Key) throws -> [Int]? {
            if let n = try? c.decode(Int.self, forKey: k) { return [n, n] }
            guard let p = try c.decodeIfPresent([Int].self, forKey: k) else { return nil }
            guard p.count == 2, p.allSatisfy({ $0 > 0 }) else {
                throw DecodingError.dataCorruptedError(forKey: k, in: c, debugDescription: "\(k.rawValue) must be a positive number or a pair of them")
            }
            return p
        }
        func required<T: Decodable>(_ t: T.Type, _ k: Key) throws -> T { try c.decode(t, forKey: k) }
        switch type {
        case "Dense":
            self = .dense(units: try required(Int.self, .units), activation: try act())
        case "TimeDistributed":
            self = .timeDistributedDense(units: try required(Int.self, .units), activation: try act())
        case "Conv2D", "Conv2DTranspose":
            guard let k = try pair(.kernel_size) else { throw DecodingError.keyNotFound(Key.kernel_size, .init(codingPath: c.codingPath, debugDescription: "\(type) needs kernel_size")) }
            let f = try required(Int.self, .filters), s = try pair(.strides) ?? [1, 1]
            self = type == "Conv2D"
                ? .conv2D(filters: f, kernel: k, strides: s, padding: try pad(), activation: try act())
                : .conv2DTranspose(filters: f, kernel: k, strides: s, padding: try pad(), activation: try act())
        case "MaxPooling2D":
            self = .maxPooling2D(pool: try pair(.pool_size) ?? [2, 2], strides: try pair(.strides), padding: try pad())
        case "Flatten":
            self = .flatten
        case "Reshape":
            self = .reshape(targetShape: try required([Int].self, .target_shape))
        case "LSTM":
            self = .lstm(units: try required(Int.self, .units),
                         returnSequences: try c.decodeIfPresent(Bool.self, forKey: .return_sequences) ?? false)
        case "Bidirectional":
            self = .bidirectional(units: try required(Int.self, .units),
                                  returnSequences: try c.decodeIfPresent(Bool.self, forKey: .return_sequences) ?? false,
                                  merge: try c.decodeIfPresent(Bidirectional.MergeMode.self, forKey: .merge_mode) ?? .concat)
        default:
            throw ArchitectureError.unknownLayer(type)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kerasName, forKey: .type)
        switch self {
        case let .dense(u, a), let .timeDistributedDense(u, a):
            try c.encode(u, forKey: .units); try c.encode(a, forKey: .activation)
        case let .conv2D(f, k, s, p, a), let .conv2DTranspose(f, k, s, p, a):
            try c.encode(f, forKey: .filters); try c.encode(k, forKey: .kernel_size)
            try c.encode(s, forKey: .strides); try c.encode(p, forKey: .padding); try c.encode(a, forKey: .activation)
        case let .maxPooling2D(pool, s, p):
            try c.encode(pool, forKey: .pool_size); try c.encodeIfPresent(s, forKey: .strides); try c.encode(p, forKey: .padding)
        case .flatten: break
        case let .reshape(t): try c.encode(t, forKey: .target_shape)
        case let .lstm(u, seq):
            try c.encode(u, forKey: .units); try c.encode(seq, forKey: .return_sequences)
        case let .bidirectional(u, seq, m):
            try c.encode(u, forKey: .units); try c.encode(seq, forKey: .return_sequences); try c.encode(m, forKey: .merge_mode)
        }
    }
}
