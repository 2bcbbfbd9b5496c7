import XCTest
@testable import NeuralNet

final class DenseStackTests: XCTestCase {
    /// A batch of 1,000 through the dense preset: splitting the batch once for all layers
    /// gives every row the arithmetic of the layer-by-layer split (a capture forces that path).
    func testStackPredictEqualsLayerByLayer() throws {
        let model = try Sequential(architecture: Presets.named("dense"), seed: 3)
        let x = randomTensor([1000, 784], seed: 4, low: 0, high: 1)
        XCTAssertNotNil(DenseStack(model.layers)?.predict(x, parallelism: model.parallelism), "the stack path must run for this batch")
        let whole = model.predict(x).array
        let captured = UnsafeMutablePointer<Float>.allocate(capacity: 1000 * 256)
        defer { captured.deallocate() }
        let layered = model.predict(x, capture: (layer: 0, into: captured)).array
        XCTAssertEqual(whole, layered)
    }

    func testSmallBatchesAndOtherLayersUseThePerLayerPath() throws {
        let model = try Sequential(architecture: Presets.named("dense"), seed: 3)
        XCTAssertNil(DenseStack(model.layers)?.predict(randomTensor([100, 784]), parallelism: model.parallelism), "100 rows < 784 units")
        let conv = try Sequential(architecture: Presets.named("conv"), seed: 3)
        XCTAssertNil(DenseStack(conv.layers))
    }
}
