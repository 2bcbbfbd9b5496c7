import CZlibSystem

/// gzip streams through zlib. gzip is recognised by its content (bytes 1F 8B), never by the file name.
public enum Gzip {
    public static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates every gzip member in `input` (concatenated members are allowed) into one buffer.
    /// Refuses to produce more than `limit` bytes, so a gzip bomb costs nothing.
    public static func decompress(_ input: UnsafeRawBufferPointer, file: String, limit: Int) throws -> ByteBuffer {
        let output = ByteBuffer(capacity: initialCapacity(input, limit: limit))
        var stream = z_stream()
        // windowBits 15 + 32: zlib detects the gzip (or zlib) header itself.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataIOError.gzipCorrupt(file: file, detail: "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        var consumed = 0
        while true {
            let chunk = min(input.count - consumed, Int(Int32.max))
            stream.avail_in = uInt(chunk)
            let status = try inflateMember(&stream, into: output, file: file, limit: limit)
            consumed += chunk - Int(stream.avail_in)
            if status != Z_STREAM_END {
                if consumed < input.count { continue }
                throw DataIOError.gzipTruncated(file: file)
            }
            let rest = input.count - consumed
            if rest == 0 { return output }
            let next = UnsafeRawBufferPointer(rebasing: input[consumed...])
            guard isGzip(next) else { throw DataIOError.gzipTrailingData(file: file, bytes: rest) }
            inflateReset(&stream)
        }
    }

    /// Runs inflate until the member ends or the current input runs out; grows `output` as needed.
    private static func inflateMember(_ stream: inout z_stream, into output: ByteBuffer, file: String, limit: Int) throws -> Int32 {
        while true {
            if output.count == output.capacity {
                guard output.capacity < limit else { throw DataIOError.decompressedTooLarge(file: file, limit: limit) }
                output.reserve(min(limit, output.capacity * 2))
            }
            let room = min(output.capacity - output.count, Int(UInt32.max))
            stream.next_out = (output.pointer + output.count).assumingMemoryBound(to: UInt8.self)
            stream.avail_out = uInt(room)
            let status = inflate(&stream, Z_NO_FLUSH)
            output.count += room - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END: return status
            case Z_OK: continue
            case Z_BUF_ERROR:
                if stream.avail_in == 0 { return status }  // needs more input than there is
                continue
            case Z_MEM_ERROR: throw DataIOError.gzipCorrupt(file: file, detail: "out of memory")
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DataIOError.gzipCorrupt(file: file, detail: detail)
            }
        }
    }

    /// The gzip trailer's ISIZE (size mod 2^32) is a hint only: it is never trusted beyond `limit`.
    private static func initialCapacity(_ input: UnsafeRawBufferPointer, limit: Int) -> Int {
        var hint = input.count * 4
        if input.count >= 18 {
            let t = input.count - 4
            let isize = Int(input[t]) | Int(input[t + 1]) << 8 | Int(input[t + 2]) << 16 | Int(input[t + 3]) << 24
            hint = max(hint, isize + 1)
        }
        return max(1024, min(hint, limit))
    }

    /// Deflates `input` into one gzip member.
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 9) throws -> ByteBuffer {
        var stream = z_stream()
        // windowBits 15 + 16: write a gzip header and trailer instead of a zlib one.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataIOError.invalidArgument("zlib deflate could not be initialised")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        let output = ByteBuffer(capacity: bound)
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.pointer.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = uInt(bound)
        guard deflate(&stream, Z_FINISH) == Z_STREAM_END else {
            throw DataIOError.invalidArgument("zlib deflate did not finish")
        }
        output.count = bound - Int(stream.avail_out)
        return output
    }
}
