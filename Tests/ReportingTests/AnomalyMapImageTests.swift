import DataIO
import Foundation
import XCTest
@testable import Reporting

final class AnomalyMapImageTests: XCTestCase {
    /// A map that is 5 at the fixture's hot pixel and between 0 and 0.6 everywhere else.
    static func map() -> [Float] {
        var map = (0..<(28 * 28)).map { Float($0 % 7) / 10 }
        map[ReportFixture.hotRow * 28 + ReportFixture.hotColumn] = 5
        return map
    }

    static func mappedReport() throws -> RunReport {
        var report = try ReportFixture.report()
        report.topOutliers[0].map = map()
        report.typicalInliers[0].map = [Float](repeating: 0.1, count: 28 * 28)
        return report
    }

    func testScaleRunsFromTheInliersMedianToTheHighestShownValue() throws {
        XCTAssertEqual(MapScale(try Self.mappedReport()), MapScale(low: Double(Float(0.1)), high: 5))
        XCTAssertNil(MapScale(try ReportFixture.report()), "no example has a map")
        XCTAssertEqual(MapScale(low: 2, high: 2), MapScale(low: 2, high: 3), "an empty range is widened")
        XCTAssertEqual(MapScale(low: -1, high: 1).fraction(0), 0.5, "z-score maps go below zero")
    }

    func testHeatmapIsEnlargedLikeTheGridsAndHottestWhereTheMapIsLargest() throws {
        let image = AnomalyMapImage.heatmap(ReportFixture.outlierExample(), map: Self.map(), scale: MapScale(low: 0, high: 5))
        let decoded = try image.png().withUnsafeBytes { try PNG.decode($0, file: "map", channels: 3) }
        XCTAssertEqual([decoded.width, decoded.height], [84, 84], "28×28 enlarged 3×")
        var hottest: [(x: Int, y: Int)] = []
        for y in 0..<84 {
            for x in 0..<84 where image.pixel(x: x, y: y) == [252, 255, 164] { hottest.append((x, y)) }
        }
        XCTAssertEqual(hottest.count, 9, "one map pixel, 3×3 image pixels at the top of the colour map")
        XCTAssertTrue(hottest.allSatisfy { $0.x / 3 == ReportFixture.hotColumn && $0.y / 3 == ReportFixture.hotRow })
        XCTAssertEqual(image.pixel(x: 0, y: 0), [0, 0, 4], "a map value of 0 is the bottom of the colour map")
    }

    func testOverlayShowsTheInputWhereTheMapIsLowAndHeatWhereItIsHigh() {
        let image = AnomalyMapImage.overlay(ReportFixture.outlierExample(), map: Self.map(), scale: MapScale(low: 0, high: 5))
        XCTAssertEqual(image.pixel(x: 0, y: 0), [64, 64, 64], "map 0: the input's 0.25 gray, unchanged")
        let hot = image.pixel(x: ReportFixture.hotColumn * 3, y: ReportFixture.hotRow * 3)
        XCTAssertEqual(hot, [253, 255, 187], "white input under the top colour at 75% opacity")
    }

    func testRunFolderWritesTheShownOutliersMapsAndTheReportsShowThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("maps-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var report = try Self.mappedReport()
        try RunFolder.write(report, to: dir, force: false)
        let maps = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("maps").path).sorted()
        XCTAssertEqual(maps, ["1-0002-map.png", "1-0002-overlay.png"])
        let png = try PNG.read(path: dir.appendingPathComponent("maps/1-0002-map.png").path, channels: 3)
        XCTAssertEqual([png.width, png.height], [84, 84])
        let markdown = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("[overlay](maps/1-0002-overlay.png), [map](maps/1-0002-map.png)"), markdown)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Anomaly maps over the inputs"))
        XCTAssertTrue(html.contains("anomaly map over the input\" title"))

        report.maps = .none
        try RunFolder.write(report, to: dir, force: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("maps").path), "a rerun without maps removes them")
        XCTAssertFalse(try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8).contains("maps/"))
    }

    func testNames() {
        XCTAssertEqual(MapFiles.ranked(3, of: 16, path: "fixtures/digits/7/0042.png"), "maps/03-0042")
        XCTAssertEqual(MapFiles.ranked(3, of: 9, path: "data/t10k.gz#12"), "maps/3-t10k#12")
        XCTAssertEqual(MapFiles.named("fixtures/digits/7/0042.png", inputs: ["x.png", "fixtures/digits/"]), "maps/digits__7__0042.png")
        XCTAssertEqual(MapFiles.named("data/t10k.gz#12", inputs: ["data/t10k.gz"]), "maps/t10k.gz#12")
        XCTAssertEqual(MapFiles.named("a/b.png", inputs: ["a/b.png"]), "maps/b.png")
        XCTAssertEqual(MapFiles.named("y/d/f.png", inputs: ["x/d", "y/d"]), "maps/1-d__f.png", "arguments with one name")
        XCTAssertEqual(MarkdownReport.link("maps/a b#1(2).png"), "maps/a%20b%231%282%29.png")
    }
}
