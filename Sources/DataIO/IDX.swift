/// An n-dimensional IDX array: element type, shape, and the big-endian element bytes.
public struct IDXArray {
    public let type: IDXElementType
    public let shape: [Int]
    let storage: ByteBuffer
    let dataOffset: Int

    public var count: Int { shape.reduce(1, *) }
    var elements: UnsafeRawPointer { UnsafeRawPointer(storage.pointer + dataOffset) }

    /// Builds an array from values, rounding and clamping them to the element type.
    public init(type: IDXElementType, shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "IDXArray: \(values.count) values for shape \(shape)")
        let header = IDX.headerSize(rank: shape.count)
        let buffer = ByteBuffer(capacity: header + values.count * type.byteSize)
        IDX.writeHeader(type: type, shape: shape, into: buffer.pointer)
        for (i, v) in values.enumerated() { type.store(v, buffer.pointer + header, i) }
        buffer.count = header + values.count * type.byteSize
        self.init(type: type, shape: shape, storage: buffer, dataOffset: header)
    }

    /// Builds a u8 array from bytes (the common case: images and labels).
    public init(uint8 bytes: [UInt8], shape: [Int]) {
        precondition(shape.reduce(1, *) == bytes.count, "IDXArray: \(bytes.count) bytes for shape \(shape)")
        let header = IDX.headerSize(rank: shape.count)
        let buffer = ByteBuffer(capacity: header + bytes.count)
        IDX.writeHeader(type: .uint8, shape: shape, into: buffer.pointer)
        bytes.withUnsafeBytes { if $0.count > 0 { (buffer.pointer + header).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        buffer.count = header + bytes.count
        self.init(type: .uint8, shape: shape, storage: buffer, dataOffset: header)
    }

    init(type: IDXElementType, shape: [Int], storage: ByteBuffer, dataOffset: Int) {
        self.type = type
        self.shape = shape
        self.storage = storage
        self.dataOffset = dataOffset
    }

    public subscript(i: Int) -> Double {
        precondition(i >= 0 && i < count, "IDXArray index \(i) out of range 0..<\(count)")
        return type.value(elements, i)
    }

    /// The elements of a u8 array as bytes (nil for other types).
    public func uint8Values() -> [UInt8]? {
        guard type == .uint8 else { return nil }
        return Array(UnsafeRawBufferPointer(start: elements, count: count))
    }

    public var values: [Double] { (0..<count).map { type.value(elements, $0) } }

    /// All elements as Float32 in [0, 1] for integer types (full type range mapped), unchanged for float types.
    public func unitFloats() -> [Float] {
        let n = count
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            if type == .uint8 {
                let src = elements.assumingMemoryBound(to: UInt8.self)
                for i in 0..<n { out[i] = Float(src[i]) / 255 }
            } else {
                let (offset, scale) = type.unitScale()
                for i in 0..<n { out[i] = Float((type.value(elements, i) + offset) / scale) }
            }
            initialized = n
        }
    }

    /// The whole file image (header + data), ready to write.
    var fileBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: elements - IDX.headerSize(rank: shape.count), count: IDX.headerSize(rank: shape.count) + count * type.byteSize)
    }
}

/// IDX files (the MNIST format): magic 00 00 TYPE NDIMS, NDIMS big-endian u32 dimensions, then the elements.
/// Everything is validated before anything is allocated for the data.
public enum IDX {
    /// The largest IDX payload accepted by default (bytes, after decompression).
    public static let defaultSizeLimit = 1 << 32

    public static func read(path: String, limit: Int = defaultSizeLimit) throws -> IDXArray {
        try parse(ByteBuffer.read(path: path), file: path, limit: limit)
    }

    /// Parses a file image held in memory; a gzip stream is recognised by its content and inflated first.
    public static func parse(_ buffer: ByteBuffer, file: String, limit: Int = defaultSizeLimit) throws -> IDXArray {
        if buffer.count == 0 { throw DataIOError.emptyFile(file: file) }
        if Gzip.isGzip(buffer.bytes) {
            let inflated = try Gzip.decompress(buffer.bytes, file: file, limit: limit &+ 4 &+ 4 * 256)
            return try parseRaw(inflated, file: file, limit: limit)
        }
        return try parseRaw(buffer, file: file, limit: limit)
    }

    static func parseRaw(_ buffer: ByteBuffer, file: String, limit: Int) throws -> IDXArray {
        let bytes = buffer.bytes
        guard bytes.count >= 4 else { throw DataIOError.idxHeaderTooShort(file: file, bytes: bytes.count) }
        guard bytes[0] == 0, bytes[1] == 0 else { throw DataIOError.idxWrongMagic(file: file, bytes: Array(bytes[0..<4])) }
        guard let type = IDXElementType(rawValue: bytes[2]) else { throw DataIOError.idxUnknownType(file: file, code: bytes[2]) }
        let rank = Int(bytes[3])
        guard rank > 0 else { throw DataIOError.idxNoDimensions(file: file) }
        let header = headerSize(rank: rank)
        guard bytes.count >= header else { throw DataIOError.idxHeaderTooShort(file: file, bytes: bytes.count) }
        let shape = (0..<rank).map { Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4 + 4 * $0, as: UInt32.self))) }
        let expected = try payloadSize(shape: shape, type: type, file: file, limit: limit)
        let actual = bytes.count - header
        if actual < expected { throw DataIOError.idxTruncated(file: file, expected: expected, actual: actual) }
        if actual > expected { throw DataIOError.idxTrailingBytes(file: file, expected: expected, actual: actual) }
        return IDXArray(type: type, shape: shape, storage: buffer, dataOffset: header)
    }

    /// Bytes of element data the shape claims, with overflow and the size limit checked.
    static func payloadSize(shape: [Int], type: IDXElementType, file: String, limit: Int) throws -> Int {
        var size = type.byteSize
        for d in shape {
            let (product, overflow) = size.multipliedReportingOverflow(by: d)
            if overflow { throw DataIOError.idxDimensionsOverflow(file: file, dimensions: shape) }
            size = product
        }
        if size > limit { throw DataIOError.idxTooLarge(file: file, bytes: size, limit: limit) }
        return size
    }

    static func headerSize(rank: Int) -> Int { 4 + 4 * rank }

    static func writeHeader(type: IDXElementType, shape: [Int], into p: UnsafeMutableRawPointer) {
        precondition(shape.count > 0 && shape.count < 256, "IDX needs 1 to 255 dimensions")
        p.storeBytes(of: (UInt32(type.rawValue) << 8 | UInt32(shape.count)).bigEndian, toByteOffset: 0, as: UInt32.self)
        for (i, d) in shape.enumerated() {
            precondition(d >= 0 && d <= Int(UInt32.max), "IDX dimension \(d) does not fit in 32 bits")
            p.storeBytes(of: UInt32(d).bigEndian, toByteOffset: 4 + 4 * i, as: UInt32.self)
        }
    }

    /// Writes `array` to `path`, gzipped when `gzip` is true, through a temporary file and a rename.
    public static func write(_ array: IDXArray, to path: String, gzip: Bool) throws {
        if gzip {
            try Gzip.compress(array.fileBytes).write(to: path)
        } else {
            try ByteBuffer.writeAtomically(array.fileBytes, to: path)
        }
    }
}
