// libFuzzer target for the IDX parser (gzip detection + inflate, header validation, element conversion).
// Compiled together with Sources/DataIO by scripts/fuzz, so DataIO's internals are in this module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = ByteBuffer(capacity: size)
    if size > 0 { buffer.pointer.copyMemory(from: data, byteCount: size) }
    buffer.count = size
    // A small limit keeps each run fast; the limit checks themselves are part of what is fuzzed.
    if let array = try? IDX.parse(buffer, file: "fuzz-input", limit: 1 << 20) {
        let floats = array.unitFloats()
        precondition(floats.count == array.count)
    }
    return 0
}
