/// Map values as unsigned integers in the same order, so millions of pixels sort as integers
/// and a defect pixel carries its region in the low half of one 64-bit word.
enum PixelKey {
    /// Order-preserving: a < b ⇔ key(a) < key(b), and −0 and +0 share a key (they tie).
    static func of(_ value: Float) -> UInt32 {
        precondition(!value.isNaN, "anomaly map values must not be NaN")
        let bits = (value == 0 ? 0 : value).bitPattern
        return bits & 0x8000_0000 == 0 ? bits | 0x8000_0000 : ~bits
    }

    static func defect(_ key: UInt32, region: Int) -> UInt64 {
        UInt64(key) << 32 | UInt64(UInt32(region))
    }

    static func key(ofDefect word: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: word >> 32) }

    static func region(ofDefect word: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: word)) }
}
