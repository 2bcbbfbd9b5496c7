@testable import NeuralNet

/// Forcing a layer's kernels through its `algorithm`, as the comparisons of kernel paths do.
extension Conv2D {
    /// The kernels chosen from the shapes (`direct`), or im2col + GEMM.
    func useKernels(direct: Bool, singleFilterInputGradient: Bool = true) {
        algorithm = direct ? ConvAlgorithm.forConv2D(channels: inputShape[2], filters: filters) : ConvAlgorithm(.im2colGEMM)
        algorithm.inputGradientShortcut = singleFilterInputGradient
    }
}

extension Conv2DTranspose {
    /// Planar (with or without Winograd) where the layer has planar kernels, else the padded
    /// direct kernels where they suit; im2col + GEMM when `direct` is false or nothing suits.
    func useKernels(direct: Bool, planar usePlanar: Bool = true, winograd: Bool = true, equivalentInputGradient: Bool = true) {
        let kernel: ConvAlgorithm.Kernel
        if !direct {
            kernel = .im2colGEMM
        } else if usePlanar, planar != nil {
            kernel = winograd ? .planarWinograd : .planar
        } else if PaddedConv.suits(channels: filters, filters: inputShape[2]) {
            kernel = .padded
        } else {
            kernel = .im2colGEMM
        }
        algorithm = ConvAlgorithm(kernel, inputGradientShortcut: equivalentInputGradient)
    }
}
