/// The shape of one 2-D convolution over NHWC images: an image of inH×inW×channels,
/// a kernelH×kernelW window moved by (strideH, strideW), giving outH×outW positions.
/// The image is zero padded with padTop rows above and padLeft columns to the left
/// (and whatever is needed after).
public struct ConvGeometry: Equatable, Sendable {
    public let inH, inW, channels: Int
    public let kernelH, kernelW, strideH, strideW: Int
    public let outH, outW, padTop, padLeft: Int

    public init(inH: Int, inW: Int, channels: Int, kernelH: Int, kernelW: Int, strideH: Int, strideW: Int,
                outH: Int, outW: Int, padTop: Int, padLeft: Int) {
        self.inH = inH; self.inW = inW; self.channels = channels
        self.kernelH = kernelH; self.kernelW = kernelW; self.strideH = strideH; self.strideW = strideW
        self.outH = outH; self.outW = outW; self.padTop = padTop; self.padLeft = padLeft
    }

    /// A convolution of an H×W×C image with TensorFlow's padding rule.
    public init(image: [Int], kernel: (Int, Int), strides: (Int, Int), padding: Padding) throws {
        let rows = try padding.window(input: image[0], kernel: kernel.0, stride: strides.0)
        let cols = try padding.window(input: image[1], kernel: kernel.1, stride: strides.1)
        self.init(inH: image[0], inW: image[1], channels: image[2], kernelH: kernel.0, kernelW: kernel.1,
                  strideH: strides.0, strideW: strides.1,
                  outH: rows.output, outW: cols.output, padTop: rows.before, padLeft: cols.before)
    }

    /// Columns of the im2col matrix: one patch, ordered (kh, kw, c) like a Keras kernel.
    public var patchSize: Int { kernelH * kernelW * channels }
    public var outPixels: Int { outH * outW }
    public var imageSize: Int { inH * inW * channels }
}

/// im2col / col2im over a whole NHWC batch.
///
/// cols is [N·outH·outW, kH·kW·C] row-major: row (n, oh, ow) holds the patch under
/// output pixel (oh, ow) of image n, in (kh, kw, c) order. With a Keras kernel
/// [kH, kW, C, F] viewed as [kH·kW·C, F], cols × W is the convolution, already NHWC.
public enum Im2col {
    /// Layers run im2col + GEMM + col2im on runs of images whose columns take about this
    /// many floats (4 MB), so the columns stay in cache from one step to the next instead
    /// of a whole-batch matrix (150 MB for Conv2D(1, 4×4) on 300×28×28×10) going to RAM.
    public static let chunkElements = 1 << 20

    /// Calls body with consecutive ranges of images covering `images`, each holding about
    /// `elements` column floats (at least one image).
    public static func forEachChunk(_ images: Range<Int>, _ g: ConvGeometry, elements: Int = chunkElements,
                                    _ body: (Range<Int>) -> Void) {
        let step = max(1, elements / max(1, g.outPixels * g.patchSize))
        var start = images.lowerBound
        while start < images.upperBound {
            let end = min(start + step, images.upperBound)
            body(start..<end)
            start = end
        }
    }


    /// cols ← patches of x (zero outside the image).
    public static func im2col(_ x: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
                              into cols: UnsafeMutablePointer<Float>) {
        for n in 0..<batch { patches(of: x + n * g.imageSize, g, into: cols + n * g.outPixels * g.patchSize) }
    }

    /// x ← Σ of every patch row of cols added back where im2col took it from (x is
    /// zeroed first). This is im2col's adjoint: the input gradient of a convolution,
    /// and the forward pass of a transposed one.
    public static func col2im(_ cols: UnsafePointer<Float>, batch: Int, _ g: ConvGeometry,
                              into x: UnsafeMutablePointer<Float>) {
        for n in 0..<batch { accumulate(cols + n * g.outPixels * g.patchSize, g, into: x + n * g.imageSize) }
    }

    /// The in-image columns [lo, hi) of a window starting at column iw0.
    @inline(__always)
    static func columnRange(_ iw0: Int, _ g: ConvGeometry) -> (lo: Int, hi: Int) {
        (max(0, -iw0), max(min(g.kernelW, g.inW - iw0), max(0, -iw0)))
    }

    /// One image's patches. For a fixed kernel row the kw·C values are contiguous in
    /// the image (NHWC), so each kernel row is one copy plus zeros at the borders.
    private static func patches(of img: UnsafePointer<Float>, _ g: ConvGeometry, into out: UnsafeMutablePointer<Float>) {
        let c = g.channels, rowLen = g.kernelW * c
        var dst = out
        for oh in 0..<g.outH {
            let ih0 = oh * g.strideH - g.padTop
            for ow in 0..<g.outW {
                let iw0 = ow * g.strideW - g.padLeft
                let (lo, hi) = columnRange(iw0, g)
                for kh in 0..<g.kernelH {
                    let ih = ih0 + kh, d = dst + kh * rowLen
                    guard ih >= 0, ih < g.inH, lo < hi else { d.update(repeating: 0, count: rowLen); continue }
                    let src = img + (ih * g.inW + iw0) * c
                    for i in 0..<(lo * c) { d[i] = 0 }
                    for i in (lo * c)..<(hi * c) { d[i] = src[i] }
                    for i in (hi * c)..<rowLen { d[i] = 0 }
                }
                dst += g.patchSize
            }
        }
    }

    /// One image's col2im: zero it, then add every patch back in place.
    private static func accumulate(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into img: UnsafeMutablePointer<Float>) {
        img.update(repeating: 0, count: g.imageSize)
        let c = g.channels, rowLen = g.kernelW * c
        var src = cols
        for oh in 0..<g.outH {
            let ih0 = oh * g.strideH - g.padTop
            for ow in 0..<g.outW {
                let iw0 = ow * g.strideW - g.padLeft
                let (lo, hi) = columnRange(iw0, g)
                for kh in 0..<g.kernelH {
                    let ih = ih0 + kh
                    guard ih >= 0, ih < g.inH, lo < hi else { continue }
                    let d = img + (ih * g.inW + iw0) * c, s = src + kh * rowLen
                    for i in (lo * c)..<(hi * c) { d[i] += s[i] }
                }
                src += g.patchSize
            }
        }
    }
}
