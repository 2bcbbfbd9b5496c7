/// How a convolution layer computes its forward and backward products: the one place where
/// a Conv2D or Conv2DTranspose picks its kernels, once, from its shapes. `inspect` and
/// `bench layers` print it; tests assign another to compare the kernels on the same layer.
public struct ConvAlgorithm: Equatable, Sendable, CustomStringConvertible {
    public enum Kernel: String, Sendable, CaseIterable {
        /// Columns of input patches times the kernel matrix (any shape; GEMM through OpenBLAS
        /// in training, `stableGEMM` in inference).
        case im2colGEMM = "im2col + GEMM"
        /// Per image, a zero-padded copy correlated (or scattered) directly: few channels and
        /// filters (`PaddedConv.suits`), where a GEMM's matrices would be too thin.
        case padded = "direct, padded image"
        /// One input channel, filters in lanes of 16 (`SingleChannelConv`): the first layers.
        case singleChannel = "direct, one input channel"
        /// Conv2DTranspose with stride 1 and several channels: channel-planar kernels
        /// (`PlanarConv`) for all three products.
        case planar = "planar"
        /// `planar`, with Winograd F(4, 3) for the products whose shapes suit it.
        case planarWinograd = "planar, Winograd F(4,3)"
    }

    public var kernel: Kernel
    /// The input gradient by a cheaper equivalent: for a stride-1 Conv2D with one filter, the
    /// single-channel kernels on the flipped kernel; for a stride-1 Conv2DTranspose, the
    /// scatter of its equivalent Conv2D. Only where the layer has one.
    public var inputGradientShortcut: Bool

    public init(_ kernel: Kernel, inputGradientShortcut: Bool = true) {
        self.kernel = kernel
        self.inputGradientShortcut = inputGradientShortcut
    }

    public var description: String { kernel.rawValue + (inputGradientShortcut ? "" : ", plain dX") }

    /// A Conv2D's choice: one input channel → single-channel kernels, few channels and filters
    /// → padded direct kernels, otherwise im2col + GEMM.
    static func forConv2D(channels: Int, filters: Int) -> ConvAlgorithm {
        if SingleChannelConv.suits(channels: channels, filters: filters) { return ConvAlgorithm(.singleChannel) }
        if PaddedConv.suits(channels: channels, filters: filters) { return ConvAlgorithm(.padded) }
        return ConvAlgorithm(.im2colGEMM)
    }

    /// A Conv2DTranspose's choice (its underlying conv has `filters` channels and `inChannels`
    /// filters): planar kernels where they exist (stride 1), with Winograd where a product
    /// suits it, then the padded direct kernels, otherwise im2col + GEMM.
    static func forConv2DTranspose(planar: (forward: PlanarConv, backward: PlanarConv)?, filters: Int,
                                   inChannels: Int) -> ConvAlgorithm {
        if let planar {
            return ConvAlgorithm(planar.forward.suitsWinograd || planar.backward.suitsWinograd ? .planarWinograd : .planar)
        }
        if PaddedConv.suits(channels: filters, filters: inChannels) { return ConvAlgorithm(.padded) }
        return ConvAlgorithm(.im2colGEMM)
    }
}
