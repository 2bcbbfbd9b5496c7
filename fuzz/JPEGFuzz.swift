// libFuzzer target for the JPEG loader (the magic-byte dispatch, libjpeg decode behind the setjmp error
// manager in Sources/CJPEG/shim.h, CMYK conversion, EXIF orientation, channel conversion) and the header
// survey's marker walk (ImageHeader, which reads the EXIF orientation itself). Compiled together with
// Sources/DataIO by scripts/fuzz.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    _ = ImageHeader.parse(Array(bytes))
    for channels in [1, 3] {
        if let image = try? ImageDecoder.decode(bytes, file: "fuzz-input", channels: channels, pixelLimit: 1 << 14) {
            precondition(image.values.count == image.width * image.height * channels)
            precondition(image.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }
    return 0
}
