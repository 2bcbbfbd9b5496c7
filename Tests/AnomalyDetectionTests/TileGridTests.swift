import XCTest
@testable import AnomalyDetection

final class TileGridTests: XCTestCase {
    func testOffsetsReachTheBorderWhateverTheSize() {
        XCTAssertEqual(TileGrid.offsets(length: 64, tile: 64, stride: 64), [0])
        XCTAssertEqual(TileGrid.offsets(length: 100, tile: 64, stride: 32), [0, 32, 36])
        XCTAssertEqual(TileGrid.offsets(length: 256, tile: 64, stride: 32), [0, 32, 64, 96, 128, 160, 192])
        XCTAssertEqual(TileGrid.offsets(length: 70, tile: 16, stride: 16), [0, 16, 32, 48, 54])
    }

    /// Each tile holds its own region of the image, and stitching the tiles back gives the image.
    func testTilesHoldTheirRegionAndStitchBackToTheImage() {
        let grid = TileGrid(height: 40, width: 50, channels: 3, tile: 16, stride: 12)
        let image = (0..<grid.imageSize).map { Float(($0 * 7919) % 1000) / 1000 }
        var tiles = [Float](repeating: .nan, count: grid.count * grid.tileSize)
        image.withUnsafeBufferPointer { x in tiles.withUnsafeMutableBufferPointer { grid.cut(x.baseAddress!, into: $0.baseAddress!) } }
        var k = 0
        for top in grid.tops { for left in grid.lefts {
            for (y, x, c) in [(0, 0, 0), (15, 15, 2), (7, 3, 1)] {
                XCTAssertEqual(tiles[k * grid.tileSize + (y * 16 + x) * 3 + c], image[((top + y) * 50 + left + x) * 3 + c])
            }
            k += 1
        } }
        var back = [Float](repeating: .nan, count: grid.imageSize)
        tiles.withUnsafeBufferPointer { t in back.withUnsafeMutableBufferPointer { grid.stitch(t.baseAddress!, into: $0.baseAddress!) } }
        for i in 0..<image.count { XCTAssertEqual(back[i], image[i], accuracy: 1e-6) }
    }

    /// Tiles side by side that fill the image stitch back to exactly its pixels (a copy, not a
    /// weighted mean that could round).
    func testDisjointTilesStitchBackExactly() {
        let grid = TileGrid(height: 64, width: 96, channels: 3, tile: 32, stride: 32)
        let image = (0..<grid.imageSize).map { Float(($0 * 7919) % 1000) / 997 }
        var tiles = [Float](repeating: .nan, count: grid.count * grid.tileSize)
        image.withUnsafeBufferPointer { x in tiles.withUnsafeMutableBufferPointer { grid.cut(x.baseAddress!, into: $0.baseAddress!) } }
        var back = [Float](repeating: .nan, count: grid.imageSize)
        tiles.withUnsafeBufferPointer { t in back.withUnsafeMutableBufferPointer { grid.stitch(t.baseAddress!, into: $0.baseAddress!) } }
        XCTAssertEqual(back, image)
    }

    /// Overlapping tiles that disagree are averaged with tent weights: a pixel nearer one tile's
    /// centre takes more of that tile.
    func testOverlapsAreWeightedTowardsTileCentres() {
        let grid = TileGrid(height: 4, width: 6, channels: 1, tile: 4, stride: 2)  // tiles at left 0 and 2
        XCTAssertEqual(grid.lefts, [0, 2])
        let tiles = [Float](repeating: 0, count: 16) + [Float](repeating: 1, count: 16)
        var image = [Float](repeating: 0, count: 24)
        tiles.withUnsafeBufferPointer { t in image.withUnsafeMutableBufferPointer { grid.stitch(t.baseAddress!, into: $0.baseAddress!) } }
        // Column 2: tile 0's weight min(3, 2) = 2, tile 1's min(1, 4) = 1 → 1/3; column 3: weights 1 and 2 → 2/3.
        XCTAssertEqual(image[2], 1.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(image[3], 2.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(image[0], 0)
        XCTAssertEqual(image[5], 1)
    }
}
