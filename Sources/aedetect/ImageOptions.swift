import AnomalyDetection
import ArgumentParser
import Foundation
import NeuralNet

/// How the commands that read images with a fitted model treat an image of another size.
struct ImageOptions: ParsableArguments {
    @Flag(help: "Resample images of another size to the model's input (area when shrinking, bilinear when enlarging) instead of refusing them; the model file's own setting otherwise.")
    var resize = false

    /// The model at `path`, resampling other sizes when asked, running on `parallelism`'s threads.
    func loadDetector(_ path: String, parallelism: Parallelism = .machine) throws -> Detector {
        let detector = try Detector.load(from: URL(fileURLWithPath: path))
        detector.model.parallelism = parallelism
        return resize ? detector.resizing() : detector
    }
}
