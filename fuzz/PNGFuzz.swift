// libFuzzer target for the PNG loader (signature check, colour-chunk stripping, libpng decode, conversion).
// Compiled together with Sources/DataIO by scripts/fuzz, so DataIO's internals are in this module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for channels in [1, 3] {
        if let image = try? PNG.decode(bytes, file: "fuzz-input", channels: channels, pixelLimit: 1 << 14) {
            precondition(image.values.count == image.width * image.height * channels)
            precondition(image.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }
    return 0
}
