/// EXIF's Orientation tag (0x0112): how the stored pixels must be turned to show the picture upright.
/// Cameras write the sensor's rows as they come and record the camera's rotation here instead.
public enum ExifOrientation: Int, Sendable {
    case normal = 1
    case mirrored = 2           // left and right swapped
    case rotated180 = 3
    case flipped = 4            // top and bottom swapped
    case transposed = 5         // mirrored along the main diagonal
    case rotatedClockwise = 6   // shown after a 90° clockwise turn
    case transverse = 7         // mirrored along the other diagonal
    case rotatedCounterclockwise = 8

    /// Orientations 5–8 swap the width and the height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// The tag in the first image file directory of an Exif payload (the TIFF structure after "Exif\0\0"),
    /// or nil when there is none, the payload is damaged, or the value is not 1–8.
    public init?(tiff b: UnsafeRawBufferPointer) {
        guard b.count >= 8 else { return nil }
        let little: Bool
        switch (b[0], b[1]) {
        case (0x49, 0x49): little = true    // "II", Intel
        case (0x4D, 0x4D): little = false   // "MM", Motorola
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= b.count else { return nil }
            return little ? Int(b[at]) | Int(b[at + 1]) << 8 : Int(b[at]) << 8 | Int(b[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let first = u16(at), let second = u16(at + 2) else { return nil }
            return little ? first | second << 16 : first << 16 | second
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<count {
            let at = ifd + 2 + 12 * entry
            guard let tag = u16(at) else { return nil }
            // SHORT (type 3), one value, stored in the first two bytes of the value field.
            guard tag == 0x0112 else { continue }
            guard u16(at + 2) == 3, let value = u16(at + 8) else { return nil }
            self.init(rawValue: value)
            return
        }
        return nil
    }

    public init?(tiff bytes: [UInt8]) {
        guard let orientation = bytes.withUnsafeBytes({ ExifOrientation(tiff: $0) }) else { return nil }
        self = orientation
    }
}
