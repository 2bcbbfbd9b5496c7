/// A stride-1 Conv2DTranspose as the Conv2D it equals: same input and output, the kernel
/// flipped in both spatial axes with its filter and channel axes swapped
/// (E[kh, kw, c, f] = T[kH−1−kh, kW−1−kw, f, c]), and leading padding kH−1−top (the
/// transposed layer scatters pixel i to i−top+k; the conv gathers i+k−pad). Its forward is
/// the transposed layer's forward, its input gradient (a scatter of dZ) the layer's dX.
struct EquivalentConv {
    let geometry: ConvGeometry
    let filters: Int
    private let flipped = Tensor()

    /// nil for strides other than 1, where the two are not the same shape of computation.
    /// `transposed` is the geometry of the conv the layer is the gradient of.
    init?(transposed g: ConvGeometry, inputShape: [Int], filters: Int) {
        guard g.strideH == 1, g.strideW == 1 else { return nil }
        geometry = ConvGeometry(inH: inputShape[0], inW: inputShape[1], channels: inputShape[2],
                                kernelH: g.kernelH, kernelW: g.kernelW, strideH: 1, strideW: 1,
                                outH: g.inH, outW: g.inW, padTop: g.kernelH - 1 - g.padTop,
                                padLeft: g.kernelW - 1 - g.padLeft)
        self.filters = filters
    }

    /// The equivalent conv's Keras kernel [kH, kW, C, F] from the transposed layer's
    /// [kH, kW, F, C] (a buffer of this value, overwritten on the next call).
    func kernel(of w: Tensor) -> UnsafePointer<Float> {
        let g = geometry, c = g.channels, f = filters, kh = g.kernelH, kw = g.kernelW
        flipped.resize([kh, kw, c, f])
        let src = w.ptr, dst = flipped.ptr
        for i in 0..<kh { for j in 0..<kw { for ch in 0..<c { for o in 0..<f {
            dst[((i * kw + j) * c + ch) * f + o] = src[(((kh - 1 - i) * kw + (kw - 1 - j)) * f + o) * c + ch]
        } } } }
        return UnsafePointer(flipped.ptr)
    }
}
