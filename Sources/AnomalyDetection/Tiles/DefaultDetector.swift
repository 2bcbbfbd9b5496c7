import NeuralNet

/// What `fit` builds when no preset or architecture is given, from the geometry of the data:
/// the dense `detector` preset for 28×28 grayscale (digits, Fashion-MNIST), where it was
/// chosen; for every other size and for colour, the tiled `convDetector` with its own rule.
public enum DefaultDetector {
    /// True when the dense detector is the default for images of this geometry.
    public static func isDense(_ g: InputGeometry) -> Bool { g.height == 28 && g.width == 28 && g.channels == 1 }

    /// The conv detector's preprocessing: its tiles, overlapping by half when the image is
    /// larger than one tile, side by side from 256 pixels on, where half-overlapping tiles would
    /// cost 3× the scoring time (reports/quality.md compares the two on validation images).
    public static func tiledPreprocessing(_ g: InputGeometry, invert: Bool, resize: Bool) throws -> Preprocessing {
        guard let tile = Presets.convDetectorTile(height: g.height, width: g.width) else {
            throw DetectorError.input("images of \(g.height)×\(g.width) are too small for the default detector (16 pixels a side at least); give --size or --preset")
        }
        let stride = min(g.height, g.width) >= 256 || (g.height == tile && g.width == tile) ? tile : tile / 2
        return Preprocessing(height: g.height, width: g.width, channels: g.channels, invert: invert, resize: resize,
                             tile: tile, tileStride: stride)
    }

    public static func tiledArchitecture(_ p: Preprocessing) -> Architecture {
        Presets.convDetector(tile: p.tile!, channels: p.channels)
    }

    /// The conv detector's score: the texture map's top 1% (`ZMapMaker`).
    public static let tiledScoring = ScoringRule.zmap
}
