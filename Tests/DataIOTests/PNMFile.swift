import Foundation

/// A binary PGM (P5) or PPM (P6) file with 8-bit samples, as Pillow writes them: the reference decodes
/// under fixtures/jpeg/reference/.
struct PNMFile {
    let width: Int
    let height: Int
    let channels: Int
    let samples: [UInt8]

    init(path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // Header: magic, width, height, maxval, separated by whitespace, then one whitespace byte.
        var fields: [String] = [], field = "", i = 0
        while fields.count < 4, i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
                if !field.isEmpty { fields.append(field); field = "" }
            } else {
                field.append(Character(UnicodeScalar(c)))
            }
            i += 1
        }
        guard fields.count == 4, let w = Int(fields[1]), let h = Int(fields[2]), fields[3] == "255",
              fields[0] == "P5" || fields[0] == "P6" else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        width = w
        height = h
        channels = fields[0] == "P5" ? 1 : 3
        samples = Array(bytes[i...])
        guard samples.count == w * h * channels else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path]) }
    }
}
