import NeuralNet
@testable import ONNXExport
import XCTest

/// The weight rearrangements between Keras's layouts and ONNX's.
final class ONNXLayoutTests: XCTestCase {
    func testLSTMGatesGoFromKerasIFCOToONNXIOFC() {
        // units 1, features 2: kernel [2, 4], column g is Keras gate g (i, f, c, o).
        let kernel = Tensor(shape: [2, 4], values: [0, 1, 2, 3, 10, 11, 12, 13])
        // ONNX rows i, o, f, c, each [features].
        XCTAssertEqual(RecurrentGraph.gateRows(kernel, units: 1), [0, 10, 3, 13, 1, 11, 2, 12])
        XCTAssertEqual(RecurrentGraph.gateBias(Tensor(shape: [4], values: [0, 1, 2, 3]), units: 1), [0, 3, 1, 2])
    }

    func testConvKernelsArePermutedToFiltersChannelsRowsColumns() {
        // Keras [kH 1, kW 2, C 1, F 2]: value = 10·column + filter.
        let kernel = Tensor(shape: [1, 2, 1, 2], values: [0, 1, 10, 11])
        XCTAssertEqual(ConvGraph.permuted(kernel, [3, 2, 0, 1]), [0, 10, 1, 11])
    }

    func testSamePaddingPutsTheOddPixelAfter() throws {
        // 28 → 14 with a 5×5 window, stride 2: overhang 3, one before, two after.
        XCTAssertEqual(try ConvGraph.pads([28, 28, 1], kernel: (5, 5), strides: (2, 2), padding: .same), [1, 1, 2, 2])
        XCTAssertEqual(try ConvGraph.pads([14, 14, 10], kernel: (5, 5), strides: (1, 1), padding: .valid), [0, 0, 0, 0])
    }

    func testBlurTapsAreNormalisedOutToThreeSigma() {
        let taps = BlurGraph.taps(sigma: 1)
        XCTAssertEqual(taps.count, 7)
        XCTAssertEqual(Double(taps.reduce(0, +)), 1, accuracy: 1e-6)
        XCTAssertEqual(taps[3], taps.max())
    }
}
