import DataIO
import Foundation

/// What Keras itself computed for a fixture model (`<preset>.outputs.json`, written by
/// scripts/make_keras_fixtures.py): `predict` on a few test digits of fixtures/mnist.
struct KerasReference: Decodable {
    let images: String
    let indices: [Int]
    let reconstructions: [[Float]]
    let pixel_mse: [Double]
    let encoder_layer: String?
    let encoder: [[Float]]?

    init(preset: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/keras/\(preset).outputs.json")))
        self = try JSONDecoder().decode(KerasReference.self, from: data)
    }

    /// The reference images, scaled to [0, 1] as aedetect loads them, back to back.
    func pixels() throws -> [Float] {
        let set = try Dataset.loadIDX(images: Fixtures.path(images))
        return indices.flatMap { set.image($0) }
    }
}

/// |a − b| ≤ 1e-4·|b| + 1e-6 for every value: 1e-4 relative, with a floor for values near zero
/// (a relu's output, a pixel Keras reconstructs as 1e-9).
func worstExcess(_ ours: [Float], _ keras: [Float]) -> Double {
    zip(ours, keras).map { Double(abs($0 - $1)) - (1e-4 * Double(abs($1)) + 1e-6) }.max() ?? 0
}
