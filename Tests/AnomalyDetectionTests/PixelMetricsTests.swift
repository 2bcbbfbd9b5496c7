import XCTest
@testable import AnomalyDetection

final class PixelMetricsTests: XCTestCase {
    private func evaluate(_ images: [(map: [Float], mask: [Bool], height: Int, width: Int)]) -> PixelMetrics {
        var evaluation = PixelEvaluation()
        for image in images { evaluation.add(map: image.map, mask: image.mask, height: image.height, width: image.width) }
        return evaluation.result
    }

    func testHandComputedFourByFour() throws {
        // The case of notes/pixel-metrics.md: mask = top-left 2×2 block, one region of 4 pixels.
        let map: [Float] = [0.9, 0.8, 0.1, 0.0, 0.7, 0.2, 0.3, 0.0, 0, 0, 0, 0, 0, 0, 0, 0]
        let mask = (0..<16).map { $0 / 4 < 2 && $0 % 4 < 2 }
        let result = evaluate([(map, mask, 4, 4)])
        XCTAssertEqual(try XCTUnwrap(result.rocAUC), 47.0 / 48, accuracy: 1e-12)
        // AUPRO. Defects {0.9, 0.8, 0.7, 0.2} (weight ¼ each), normals {0.3, 0.1} and ten 0.0 (N = 12).
        // Flagging every pixel ≥ the cut, (FPR, PRO): +∞ (0, 0); 0.9 (0, ¼); 0.8 (0, ½); 0.7 (0, ¾);
        // 0.3 (1/12, ¾); 0.2 (1/12, 1); 0.1 (2/12, 1); 0.0 (1, 1), so PRO(0.3) = 1 on the last segment.
        // Area to 0.3: the vertical steps add 0; [0, 1/12] at ¾: 1/16; [1/12, 0.3] at 1: 0.3 − 1/12 = 13/60.
        // 1/16 + 13/60 = 67/240; divided by 0.3: 67/72 = 0.930556.
        XCTAssertEqual(try XCTUnwrap(result.proAUC), 67.0 / 72, accuracy: 1e-12)
        XCTAssertEqual(result.defectPixels, 4)
        XCTAssertEqual(result.normalPixels, 12)
        XCTAssertEqual(result.regions, 1)
    }

    func testTiedValuesMoveTogether() throws {
        // All tied: one diagonal step (0, 0) → (1, 1). AUC ½; PRO(0.3) = 0.3, area 0.045, AUPRO 0.15.
        let flat = evaluate([([0.5, 0.5, 0.5, 0.5], [true, false, false, false], 1, 4)])
        XCTAssertEqual(try XCTUnwrap(flat.rocAUC), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(flat.proAUC), 0.15, accuracy: 1e-12)
        // Defects 0.8, 0.5 (one region), normals 0.5, 0.5, 0.2, 0.1. AUC: 0.8 beats 4; 0.5 ties 2 and
        // beats 2: (4 + 1 + 2) / 8 = 7/8. PRO: 0.8 → (0, ½); 0.5 → (½, 1), a diagonal, so PRO(0.3) =
        // ½ + ½·0.3/0.5 = 0.8; area 0.3·(0.5 + 0.8)/2 = 0.195, AUPRO 0.65 (defect first would give 1,
        // normals first 0.5).
        let mixed = evaluate([([0.8, 0.5, 0.5, 0.5, 0.2, 0.1], [true, true, false, false, false, false], 2, 3)])
        XCTAssertEqual(try XCTUnwrap(mixed.rocAUC), 7.0 / 8, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(mixed.proAUC), 0.65, accuracy: 1e-12)
        // −0 and +0 are the same value: a tie.
        XCTAssertEqual(evaluate([([0, -0.0], [true, false], 1, 2)]).rocAUC, 0.5)
    }

    func testImagesOfDifferentSizesArePooled() throws {
        var evaluation = PixelEvaluation()
        // 2×2: defect 0.9; normals 0.2, 0.3, 0.1. Alone: AUC 1, and PRO reaches 1 at FPR 0: AUPRO 1.
        evaluation.add(map: [0.9, 0.2, 0.3, 0.1], mask: [true, false, false, false], height: 2, width: 2)
        var first = evaluation.result
        XCTAssertEqual(first.rocAUC, 1)
        XCTAssertEqual(try XCTUnwrap(first.proAUC), 1, accuracy: 1e-12)
        // 2×3: defects at (0, 2) 0.4 and (1, 0) 0.6, two regions (not neighbours across the row end);
        // normals 0.5, 0.05, 0.95, 0.05.
        evaluation.add(map: [0.5, 0.05, 0.4, 0.6, 0.95, 0.05], mask: [false, false, true, true, false, false],
                       height: 2, width: 3)
        first = evaluation.result
        // Pooled: defects 0.9, 0.6, 0.4; normals 0.95, 0.5, 0.3, 0.2, 0.1, 0.05, 0.05 (N = 7).
        // AUC: 0.9 beats 6, 0.6 beats 6, 0.4 beats 5: 17/21.
        XCTAssertEqual(try XCTUnwrap(first.rocAUC), 17.0 / 21, accuracy: 1e-12)
        // Three regions of one pixel. (FPR, PRO): 0.95 (1/7, 0); 0.9 (1/7, ⅓); 0.6 (1/7, ⅔); 0.5 (2/7, ⅔);
        // 0.4 (2/7, 1); 0.3 (3/7, 1). Area to 0.3: ⅔·1/7 + 1·(0.3 − 2/7) = 2/21 + 1/70 = 23/210;
        // AUPRO = 23/63.
        XCTAssertEqual(try XCTUnwrap(first.proAUC), 23.0 / 63, accuracy: 1e-12)
        XCTAssertEqual([first.defectPixels, first.normalPixels, first.regions], [3, 7, 3])
    }

    func testRegionsWeighTheSameWhateverTheirSize() throws {
        // 3×5: region A, a 2×2 block at the top left; region B, the single pixel (1, 4); normals 0.5.
        let mask = (0..<15).map { p in (p / 5 < 2 && p % 5 < 2) || p == 9 }
        func map(a: Float, b: Float) -> [Float] {
            (0..<15).map { p in p == 9 ? b : (mask[p] ? a : 0.5) }
        }
        // Only A above the normals: PRO ½ from FPR 0 to 1 (weighted by pixels it would be 4/5), AUPRO ½.
        let aFound = evaluate([(map(a: 0.9, b: 0.1), mask, 3, 5)])
        XCTAssertEqual(aFound.regions, 2)
        XCTAssertEqual(try XCTUnwrap(aFound.proAUC), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(aFound.rocAUC), 40.0 / 50, accuracy: 1e-12)
        // Only B found: the same ½ (by pixels 1/5), although the pixel AUC drops to 10/50.
        let bFound = evaluate([(map(a: 0.1, b: 0.9), mask, 3, 5)])
        XCTAssertEqual(try XCTUnwrap(bFound.proAUC), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(bFound.rocAUC), 10.0 / 50, accuracy: 1e-12)
        // Pixels touching at a corner are one region (8-connectivity).
        XCTAssertEqual(evaluate([([0.9, 0.1, 0.1, 0.9], [true, false, false, true], 2, 2)]).regions, 1)
    }

    func testUndefinedWithoutBothClasses() {
        let clean = evaluate([([0.1, 0.2, 0.3, 0.4], [false, false, false, false], 2, 2)])
        XCTAssertNil(clean.rocAUC)
        XCTAssertNil(clean.proAUC)
        XCTAssertEqual([clean.defectPixels, clean.normalPixels, clean.regions], [0, 4, 0])
        let allDefect = evaluate([([0.1, 0.2], [true, true], 1, 2)])
        XCTAssertNil(allDefect.rocAUC)
        XCTAssertNil(allDefect.proAUC)
        var empty = PixelEvaluation()
        XCTAssertNil(empty.result.rocAUC)
    }

    func testRandomCaseAgreesWithBruteForce() throws {
        var rng = TestRandom(seed: 7)
        var images: [(map: [Float], mask: [Bool], height: Int, width: Int)] = []
        for (height, width) in [(12, 17), (9, 9), (20, 6)] {
            var mask = [Bool](repeating: false, count: height * width)
            for _ in 0..<3 {  // a few random rectangles, sometimes touching or overlapping
                let y0 = Int(rng.uniform() * Double(height)), x0 = Int(rng.uniform() * Double(width))
                for y in y0..<min(height, y0 + 1 + Int(rng.uniform() * 4)) {
                    for x in x0..<min(width, x0 + 1 + Int(rng.uniform() * 4)) { mask[y * width + x] = true }
                }
            }
            // One decimal, so ties are common; defects a little higher.
            let map = mask.map { Float((($0 ? 3 : 0) + rng.uniform() * 10).rounded() / 10) }
            images.append((map, mask, height, width))
        }
        let result = evaluate(images)

        let pixels = images.flatMap { zip($0.map, $0.mask) }
        let defects = pixels.filter(\.1).map(\.0), normals = pixels.filter { !$0.1 }.map(\.0)
        var wins = 0.0
        for d in defects { for n in normals { wins += d > n ? 1 : (d == n ? 0.5 : 0) } }
        XCTAssertEqual(try XCTUnwrap(result.rocAUC), wins / Double(defects.count * normals.count), accuracy: 1e-12)

        // AUPRO by thresholding every image at every distinct value.
        let regions = images.map { ConnectedComponents(mask: $0.mask, height: $0.height, width: $0.width) }
        XCTAssertEqual(result.regions, regions.map(\.count).reduce(0, +))
        var curve: [(fpr: Double, pro: Double)] = [(0, 0)]
        for cut in Set(pixels.map(\.0)).sorted(by: >) {
            var falsePositives = 0, overlaps = 0.0
            for (image, components) in zip(images, regions) {
                var flagged = [Int](repeating: 0, count: components.count)
                for (value, label) in zip(image.map, components.labels) where value >= cut {
                    if label < 0 { falsePositives += 1 } else { flagged[Int(label)] += 1 }
                }
                overlaps += zip(flagged, components.sizes).map { Double($0) / Double($1) }.reduce(0, +)
            }
            curve.append((Double(falsePositives) / Double(normals.count), overlaps / Double(result.regions)))
        }
        var area = 0.0
        for (a, b) in zip(curve, curve.dropFirst()) where a.fpr < 0.3 {
            let end = min(b.fpr, 0.3)
            let proAtEnd = b.fpr == a.fpr ? b.pro : a.pro + (b.pro - a.pro) * (end - a.fpr) / (b.fpr - a.fpr)
            area += (end - a.fpr) * (a.pro + proAtEnd) / 2
        }
        XCTAssertEqual(try XCTUnwrap(result.proAUC), area / 0.3, accuracy: 1e-12)
        XCTAssertGreaterThan(area / 0.3, 0.2, "the case should be neither trivial nor perfect")
        XCTAssertLessThan(area / 0.3, 0.99)
    }
}
