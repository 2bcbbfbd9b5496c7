import DataIO
import Foundation
import XCTest
@testable import Reporting

final class ReconstructionGridTests: XCTestCase {
    func testSizeFollowsTheLayout() throws {
        let grid = ReconstructionGrid(examples: [ReportFixture.outlierExample(), ReportFixture.inlierExample()])
        XCTAssertEqual(grid.scale, 3, "28×28 panels are enlarged 3×")
        // margin 4 + three 84-pixel panels with two 2-pixel gutters + margin 4
        XCTAssertEqual(grid.width, 4 + 3 * 84 + 2 * 2 + 4)
        // margin, header line (10), two rows of (label 10 + panel 84 + spacing 6), bar 8 + 2 + text 8 (with descenders), margin
        XCTAssertEqual(grid.height, 4 + 10 + 2 * (10 + 84 + 6) + 8 + 2 + 8 + 4)
        XCTAssertEqual(grid.pixels.count, grid.width * grid.height * 3)
        let decoded = try grid.png().withUnsafeBytes { try PNG.decode($0, file: "grid", channels: 3) }
        XCTAssertEqual([decoded.width, decoded.height], [grid.width, grid.height])
    }

    func testHeatmapIsBrightestWhereTheErrorIsLargest() {
        let grid = ReconstructionGrid(examples: [ReportFixture.outlierExample()])
        XCTAssertEqual(grid.errorMaximum, 1)
        let panelTop = 4 + 10 + 10, heatLeft = 4 + 2 * (84 + 2)
        let y = panelTop + ReportFixture.hotRow * 3 + 1, x = ReportFixture.hotColumn * 3 + 1
        XCTAssertEqual(grid.image.pixel(x: heatLeft + x, y: y), [252, 255, 164], "top of the inferno map")
        XCTAssertEqual(grid.image.pixel(x: 4 + x, y: y), [255, 255, 255], "the input pixel is white")
        XCTAssertEqual(grid.image.pixel(x: 4 + 84 + 2 + x, y: y), [0, 0, 0], "the reconstruction pixel is black")
        // Elsewhere the error is 0.25 − 0.125 = 0.125 of the maximum: the map's second stop.
        XCTAssertEqual(grid.image.pixel(x: heatLeft + 1, y: panelTop + 1), [31, 12, 72])
    }

    /// A 600×600 image is reduced 3× to 200-pixel panels: blocks are averaged, but the error
    /// panel keeps a block's largest error, so one wrong pixel stays at the top of the map.
    func testLargeImagesAreReducedKeepingEachBlocksLargestError() {
        let side = 600, c = 3
        var input = [Float](repeating: 0, count: side * side * c), recon = input
        for i in stride(from: 0, to: input.count, by: c) { input[i] = 0.6; recon[i] = 0.6 }  // red, reconstructed exactly
        let hot = (301 * side + 302) * c + 1  // one pixel's green channel: error 1/3 averaged over channels
        input[hot] = 1
        let example = RunReport.Example(path: "big.png", score: 1, height: side, width: side, channels: c,
                                        input: input, reconstruction: recon)
        let grid = ReconstructionGrid(examples: [example], showsScaleBar: false)
        XCTAssertEqual([grid.reduction, grid.scale], [3, 1])
        XCTAssertEqual(grid.width, 4 + 3 * 200 + 2 * 2 + 4)
        XCTAssertEqual(grid.errorMaximum, 1.0 / 3, accuracy: 1e-6)
        let panelTop = 4 + 10 + 10, heatLeft = 4 + 2 * (200 + 2)
        XCTAssertEqual(grid.image.pixel(x: heatLeft + 100, y: panelTop + 100), [252, 255, 164], "the block holding the pixel")
        XCTAssertEqual(grid.image.pixel(x: heatLeft + 10, y: panelTop + 10), [0, 0, 4], "an exact block")
        // The input panel averages: the hot pixel's block has green 1/9.
        XCTAssertEqual(grid.image.pixel(x: 4 + 100, y: panelTop + 100), [153, 28, 0])
        XCTAssertEqual(grid.image.pixel(x: 4 + 10, y: panelTop + 10), [153, 0, 0])
    }

    func testSharedMaximumScalesTheHeatmap() {
        let grid = ReconstructionGrid(examples: [ReportFixture.outlierExample()], errorMaximum: 0.125)
        let panelTop = 4 + 10 + 10, heatLeft = 4 + 2 * (84 + 2)
        XCTAssertEqual(grid.image.pixel(x: heatLeft + 1, y: panelTop + 1), [252, 255, 164], "0.125 of 0.125 is the top")
    }

    func testColourMapEnds() {
        XCTAssertTrue(ColourMap.bottom == (0, 0, 4))
        XCTAssertTrue(ColourMap.top == (252, 255, 164))
        XCTAssertTrue(ColourMap.colour(0.0625) == (16, 6, 38), "halfway between the first two stops, rounded")
        XCTAssertTrue(ColourMap.colour(.nan) == ColourMap.bottom)
        XCTAssertTrue(ColourMap.colour(7) == ColourMap.top)
    }

    func testBitmapFontDrawsKnownGlyphs() {
        var image = RGBImage(width: 17, height: 8)
        image.draw("1Ag", x: 0, y: 0)
        let expected = [
            "..#....###.......",
            ".##...#...#......",
            "..#...#...#..####",
            "..#...#...#.#...#",
            "..#...#####.#...#",
            "..#...#...#..####",
            ".###..#...#.....#",
            ".............###.",
        ]
        let drawn = (0..<8).map { y in String((0..<17).map { x in image.pixel(x: x, y: y) == [0, 0, 0] ? "#" : "." }) }
        XCTAssertEqual(drawn, expected)
        XCTAssertEqual(BitmapFont.width(of: "1Ag"), 17)
        XCTAssertEqual(BitmapFont.glyph("é"), BitmapFont.glyph("?"), "outside ASCII draws a question mark")
    }

    func testLabelsAreDrawnAndLongPathsKeepTheirEnd() {
        var example = ReportFixture.outlierExample()
        example.path = String(repeating: "very-long-folder/", count: 10) + "0002.png"
        let grid = ReconstructionGrid.render(example)
        var expected = RGBImage(width: grid.width, height: BitmapFont.glyphHeight)
        // 256 pixels of text: "  0.5" takes 29, a blank character 6, leaving 221 = 37 characters for the path.
        expected.draw("..." + example.path.suffix(34) + "  0.5", x: 4, y: 0, colour: ReconstructionGrid.ink)
        let labelTop = 4 + 10
        for y in 0..<BitmapFont.glyphHeight {
            for x in 0..<grid.width {
                XCTAssertEqual(grid.image.pixel(x: x, y: labelTop + y), expected.pixel(x: x, y: y), "(\(x), \(y))")
                if grid.image.pixel(x: x, y: labelTop + y) != expected.pixel(x: x, y: y) { return }
            }
        }
    }
}
