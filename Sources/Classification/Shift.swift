/// Translation of images by whole pixels, the gaps filled with zeros (background): the
/// augmentation of the labelled images during fine-tuning.
public enum ImageShift {
    /// out ← `image` (height × width × channels, channels last) moved by (dy, dx) pixels.
    public static func shift(_ image: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                             height: Int, width: Int, channels: Int, dy: Int, dx: Int) {
        out.update(repeating: 0, count: height * width * channels)
        let x0 = max(0, dx), x1 = min(width, width + dx)
        guard x1 > x0 else { return }
        for y in max(0, dy)..<min(height, height + dy) {
            let src = image + ((y - dy) * width + (x0 - dx)) * channels
            (out + (y * width + x0) * channels).update(from: src, count: (x1 - x0) * channels)
        }
    }
}
