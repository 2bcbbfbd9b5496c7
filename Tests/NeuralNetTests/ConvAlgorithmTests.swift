import XCTest
@testable import NeuralNet

/// Each convolution layer's kernels are chosen once, from its shapes, and shown by the summary.
final class ConvAlgorithmTests: XCTestCase {
    private func kernels(_ architecture: Architecture) throws -> [ConvAlgorithm.Kernel] {
        ModelSummary(try Sequential(architecture: architecture, seed: 0)).kernels.map(\.algorithm.kernel)
    }

    func testPresetsChooseTheirKernelsFromTheirShapes() throws {
        // conv: a one-channel first layer, a 10 → 10 stride-2 transposed conv, a 10 → 1 conv.
        XCTAssertEqual(try kernels(Presets.named("conv")), [.singleChannel, .padded, .padded])
        // denoise: the stride-1 transposed conv has planar kernels, with Winograd.
        XCTAssertEqual(try kernels(Presets.named("denoise")), [.singleChannel, .planarWinograd, .padded])
        // The tiled detector on 32×32×3 tiles: wide layers through GEMM, narrow ones direct.
        XCTAssertEqual(try kernels(Presets.convDetector(tile: 32, channels: 3)),
                       [.im2colGEMM, .im2colGEMM, .padded, .padded, .im2colGEMM])
        XCTAssertEqual(try kernels(Presets.named("dense")), [], "no convolutions")
    }

    func testSummaryPrintsOneLinePerConvolution() throws {
        let summary = ModelSummary(try Sequential(architecture: Presets.named("conv"), seed: 0))
        XCTAssertEqual(summary.kernelsText.split(separator: "\n").map(String.init), [
            "Kernels:",
            "  conv2d:           direct, one input channel",
            "  conv2d_transpose: direct, padded image",
            "  conv2d_1:         direct, padded image",
        ])
        var plain = ConvAlgorithm(.im2colGEMM)
        plain.inputGradientShortcut = false
        XCTAssertEqual(plain.description, "im2col + GEMM, plain dX")
    }
}
