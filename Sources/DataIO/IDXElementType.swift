/// The six IDX element types, by their code in the third magic byte. Elements are stored big-endian.
public enum IDXElementType: UInt8, CaseIterable, Sendable {
    case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    public var byteSize: Int {
        switch self {
        case .uint8, .int8: return 1
        case .int16: return 2
        case .int32, .float32: return 4
        case .float64: return 8
        }
    }

    public var isInteger: Bool { self != .float32 && self != .float64 }

    /// Reads element `i` from big-endian storage.
    @inline(__always)
    func value(_ base: UnsafeRawPointer, _ i: Int) -> Double {
        switch self {
        case .uint8: return Double(base.load(fromByteOffset: i, as: UInt8.self))
        case .int8: return Double(base.load(fromByteOffset: i, as: Int8.self))
        case .int16: return Double(Int16(bigEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
        case .int32: return Double(Int32(bigEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
        case .float32:
            return Double(Float(bitPattern: UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
        case .float64:
            return Double(bitPattern: UInt64(bigEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
        }
    }

    /// Stores `v` as element `i`, big-endian. Integers are rounded and clamped to the type's range.
    @inline(__always)
    func store(_ v: Double, _ base: UnsafeMutableRawPointer, _ i: Int) {
        switch self {
        case .uint8: base.storeBytes(of: UInt8(clamped(v, 0, 255)), toByteOffset: i, as: UInt8.self)
        case .int8: base.storeBytes(of: Int8(clamped(v, -128, 127)), toByteOffset: i, as: Int8.self)
        case .int16: base.storeBytes(of: Int16(clamped(v, -32768, 32767)).bigEndian, toByteOffset: 2 * i, as: Int16.self)
        case .int32:
            base.storeBytes(of: Int32(clamped(v, -2147483648, 2147483647)).bigEndian, toByteOffset: 4 * i, as: Int32.self)
        case .float32: base.storeBytes(of: Float(v).bitPattern.bigEndian, toByteOffset: 4 * i, as: UInt32.self)
        case .float64: base.storeBytes(of: v.bitPattern.bigEndian, toByteOffset: 8 * i, as: UInt64.self)
        }
    }

    private func clamped(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        v.isNaN ? 0 : Swift.min(Swift.max(v.rounded(), lo), hi)
    }

    /// Integer types map their full range onto [0, 1] (u8: v/255); float types are taken as they are.
    func unitScale() -> (offset: Double, scale: Double) {
        switch self {
        case .uint8: return (0, 255)
        case .int8: return (128, 255)
        case .int16: return (32768, 65535)
        case .int32: return (2147483648, 4294967295)
        case .float32, .float64: return (0, 1)
        }
    }
}
