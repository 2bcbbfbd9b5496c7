/// A seeded generator (xoshiro256**, seeded through SplitMix64): the same seed gives
/// the same initial weights, shuffles and noise on every machine.
public struct SeededRandom: RandomNumberGenerator, Codable, Equatable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Float { Float(next() >> 40) * (1.0 / Float(1 << 24)) }

    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * uniform() }

    /// Standard normal (Box–Muller; one value per call keeps the stream simple to replay).
    public mutating func normal() -> Float {
        let first = next()
        return SeededRandom.normal(first, next())
    }

    /// The standard normal that normal() makes of two consecutive words of the stream.
    @inline(__always)
    static func normal(_ first: UInt64, _ second: UInt64) -> Float {
        let u1 = Double(first >> 11) * (1.0 / Double(UInt64(1) << 53))
        let u2 = Double(second >> 11) * (1.0 / Double(UInt64(1) << 53))
        return Float((-2 * log(max(u1, 1e-300))).squareRoot() * cos(2 * .pi * u2))
    }

    // Codable: the four state words, so a checkpoint can resume the exact stream.
    enum CodingKeys: CodingKey { case state }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let v = try c.decode([UInt64].self, forKey: .state)
        guard v.count == 4 else { throw DecodingError.dataCorruptedError(forKey: .state, in: c, debugDescription: "need 4 words") }
        s = (v[0], v[1], v[2], v[3])
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode([s.0, s.1, s.2, s.3], forKey: .state)
    }
    public static func == (a: SeededRandom, b: SeededRandom) -> Bool {
        a.s.0 == b.s.0 && a.s.1 == b.s.1 && a.s.2 == b.s.2 && a.s.3 == b.s.3
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
