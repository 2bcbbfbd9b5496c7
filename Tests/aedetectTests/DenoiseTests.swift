import DataIO
import Foundation
import XCTest

/// The denoise preset, trained on noisy inputs against clean targets, cleans noisy digits.
final class DenoiseTests: XCTestCase {
    private func meanSquared(_ a: [Float], _ b: [Float]) -> Double {
        var sum = 0.0
        for (x, y) in zip(a, b) { sum += Double((x - y) * (x - y)) }
        return sum / Double(a.count)
    }

    func testDenoisingLowersTheErrorToTheCleanImages() throws {
        let work = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = work.appendingPathComponent("denoise.safetensors").path
        let fit = try CLI.run(["fit", CLI.fixture("mnist/train-images-idx3-ubyte.gz"), "--preset", "denoise",
                               "--epochs", "3", "--batch-size", "50", "--out", model, "--quiet"])
        XCTAssertEqual(fit.status, 0, fit.stderr)

        // Noisy copies of the 500 fixture test digits: clip(x + 0.3·N(0,1), 0, 1), seeded.
        let clean = try Dataset.loadIDX(images: CLI.fixture("mnist/t10k-images-idx3-ubyte.gz"))
        let noisyDir = work.appendingPathComponent("noisy"), outDir = work.appendingPathComponent("clean")
        try FileManager.default.createDirectory(at: noisyDir, withIntermediateDirectories: true)
        var state: UInt64 = 42
        func normal() -> Float {
            func u() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return (Double(state >> 11) + 0.5) / 9007199254740992 }
            return Float((-2 * log(u())).squareRoot() * cos(2 * .pi * u()))
        }
        var noisy: [[Float]] = []
        for i in 0..<clean.count {
            let x = clean.image(i).map { min(max($0 + 0.3 * normal(), 0), 1) }
            // Stored as 8-bit PNG: quantise now so the comparison sees what the tool reads.
            let q = x.map { Float(UInt8(($0 * 255).rounded())) / 255 }
            noisy.append(q)
            try PNG.write(unitFloats: q, width: 28, height: 28, channels: 1, to: noisyDir.appendingPathComponent(String(format: "%03d.png", i)).path)
        }
        let r = try CLI.run(["denoise", "--model", model, noisyDir.path, "--out", outDir.path])
        XCTAssertEqual(r.status, 0, r.stderr)

        var noisyError = 0.0, denoisedError = 0.0
        for i in 0..<clean.count {
            let d = try PNG.read(path: outDir.appendingPathComponent(String(format: "%03d.png", i)).path, channels: 1).values
            let c = Array(clean.image(i))
            noisyError += meanSquared(noisy[i], c)
            denoisedError += meanSquared(d, c)
        }
        noisyError /= Double(clean.count); denoisedError /= Double(clean.count)
        print(String(format: "MSE to clean: noisy %.4f, denoised %.4f", noisyError, denoisedError))
        XCTAssertLessThan(denoisedError, 0.6 * noisyError)
    }
}
