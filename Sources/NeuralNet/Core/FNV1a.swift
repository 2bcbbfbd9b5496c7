/// FNV-1a, 64-bit: a fixed, seedless hash, so the same bytes give the same value on every
/// machine and in every run (Swift's `Hasher` is seeded per process). Used where a value must
/// be stable across machines: shard assignment, model and data fingerprints. Not cryptographic.
public struct FNV1a {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    public init() {}

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* FNV1a.prime }
        value = h
    }

    public mutating func add(_ text: String) {
        var copy = text
        copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        add(0xFF)  // separator: "ab"+"c" and "a"+"bc" hash differently
    }

    public mutating func add(_ floats: UnsafePointer<Float>, count: Int) {
        add(UnsafeRawBufferPointer(start: floats, count: count * MemoryLayout<Float>.size))
    }

    public mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* FNV1a.prime }

    public static func hash(_ text: String) -> UInt64 {
        var h = FNV1a()
        var copy = text
        copy.withUTF8 { h.add(UnsafeRawBufferPointer($0)) }
        return h.value
    }

    /// "fnv1a64:0123456789abcdef"
    public var hex: String {
        let digits = String(value, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}
