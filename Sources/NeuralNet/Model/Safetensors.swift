import Foundation

/// The safetensors container: an 8-byte little-endian header length, a JSON header
/// (`{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {string: string}}`) padded with spaces to 8 bytes, then the raw
/// little-endian tensor bytes, back to back. Only F32 is written or read.
public struct Safetensors {
    public var tensors: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)] = []
    public var metadata: [String: String] = [:]

    public init() {}

    /// Header and data as bytes; `dataChecksum` sees the data section before writing.
    public func serialize(metadataFor: (Data) -> [String: String]) -> Data {
        var body = Data()
        var entries: [String: Any] = [:]
        for t in tensors {
            let begin = body.count
            body.append(UnsafeBufferPointer(start: UnsafeRawPointer(t.values.baseAddress!).assumingMemoryBound(to: UInt8.self),
                                            count: t.values.count * 4))
            entries[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [begin, body.count]] as [String: Any]
        }
        entries["__metadata__"] = metadata.merging(metadataFor(body)) { _, new in new }
        var header = try! JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data()
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(header)
        out.append(body)
        return out
    }

    /// A parsed file: tensors as (shape, byte range in `data`) and the metadata.
    public struct Parsed {
        public let entries: [String: (shape: [Int], range: Range<Int>)]
        public let metadata: [String: String]
        public let data: Data
        public let dataStart: Int

        public func floats(_ name: String) -> [Float]? {
            guard let e = entries[name] else { return nil }
            let bytes = data[(dataStart + e.range.lowerBound)..<(dataStart + e.range.upperBound)]
            return bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }

        /// The tensor bytes (everything after the header).
        public var body: Data { data[dataStart...] }
    }

    /// Parses and checks the container structure; the messages say what is wrong.
    public static func parse(_ data: Data, path: String) throws -> Parsed {
        guard data.count >= 8 else {
            throw data.isEmpty ? ModelFileError.truncated(path, "the file is empty")
                : ModelFileError.truncated(path, "\(data.count) bytes, shorter than the 8-byte header length")
        }
        let n = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        let firstByte = data[data.startIndex + 8 < data.endIndex ? data.startIndex + 8 : data.startIndex]
        guard n < 100_000_000, firstByte == UInt8(ascii: "{") else {
            throw ModelFileError.notSafetensors(path, "the first 8 bytes are not a plausible header length followed by a JSON header")
        }
        guard Int(n) + 8 <= data.count else {
            throw ModelFileError.truncated(path, "header says \(n) bytes, only \(data.count - 8) follow")
        }
        let headerBytes = data[(data.startIndex + 8)..<(data.startIndex + 8 + Int(n))]
        guard let json = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw ModelFileError.notSafetensors(path, "the header is not a JSON object")
        }
        let metadata = (json["__metadata__"] as? [String: String]) ?? [:]
        var entries: [String: (shape: [Int], range: Range<Int>)] = [:]
        for (name, value) in json where name != "__metadata__" {
            guard let e = value as? [String: Any], let dtype = e["dtype"] as? String,
                  let shape = e["shape"] as? [Int], let off = e["data_offsets"] as? [Int], off.count == 2,
                  off[0] >= 0, off[1] >= off[0] else {
                throw ModelFileError.notSafetensors(path, "tensor \"\(name)\" has a malformed header entry")
            }
            guard dtype == "F32" else { throw ModelFileError.inconsistent(path, "tensor \"\(name)\" is \(dtype), expected F32") }
            guard shape.reduce(1, *) * 4 == off[1] - off[0] else {
                throw ModelFileError.inconsistent(path, "tensor \"\(name)\" shape \(shape) does not match its \(off[1] - off[0]) bytes")
            }
            entries[name] = (shape, off[0]..<off[1])
        }
        let bodySize = data.count - 8 - Int(n)
        let end = entries.values.map(\.range.upperBound).max() ?? 0
        if end > bodySize { throw ModelFileError.truncated(path, "tensor data needs \(end) bytes, \(bodySize) present") }
        if end < bodySize { throw ModelFileError.altered(path, "\(bodySize - end) unexpected bytes after the tensor data") }
        return Parsed(entries: entries, metadata: metadata, data: data, dataStart: data.startIndex + 8 + Int(n))
    }
}
