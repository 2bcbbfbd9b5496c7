import XCTest
@testable import AnomalyDetection

final class ZMapTests: XCTestCase {
    /// A textured gray-green image, h × w × 3.
    private func texture(_ h: Int, _ w: Int) -> [Float] {
        (0..<(h * w)).flatMap { p -> [Float] in
            let v = Float((p * 37) % 11) / 20 + 0.2
            return [v, v + 0.1, v * 0.5]
        }
    }

    /// A change of hue that keeps each pixel's luma is seen by the colour term only.
    func testColourTermSeesAHueChangeThatKeepsLuma() {
        let (h, w) = (8, 8), x = texture(h, w)
        var r = x
        let i = 3 * (4 * w + 4)
        let y = 0.299 * x[i] + 0.587 * x[i + 1] + 0.114 * x[i + 2]
        r[i] = y + 0.2; r[i + 1] = y - 0.1  // another hue, the blue channel keeping the luma
        r[i + 2] = (y - 0.299 * r[i] - 0.587 * r[i + 1]) / 0.114
        XCTAssertEqual(0.299 * r[i] + 0.587 * r[i + 1] + 0.114 * r[i + 2], y, accuracy: 1e-5)
        let maker = ZMapMaker(height: h, width: w, channels: 3)
        var same = [Float](repeating: 0, count: 3 * h * w), changed = same
        x.withUnsafeBufferPointer { a in
            maker.terms(a.baseAddress!, a.baseAddress!, into: &same)
            r.withUnsafeBufferPointer { b in maker.terms(a.baseAddress!, b.baseAddress!, into: &changed) }
        }
        let p = h * w, centre = 4 * w + 4
        XCTAssertGreaterThan(changed[2 * p + centre], same[2 * p + centre] + 5, "colour term: ln of a chroma error against ln(1e-6)")
        XCTAssertEqual(changed[p + centre], same[p + centre], "the sharpness term looks at the input only")
    }

    /// A blurred input has less high-frequency energy: its sharpness term (−ln energy) is higher.
    func testSharpnessTermRisesWhereTheInputIsBlurred() {
        let (h, w) = (16, 16), x = texture(h, w)
        let flat = [Float](repeating: 0.4, count: 3 * h * w)
        let maker = ZMapMaker(height: h, width: w, channels: 3)
        var sharp = [Float](repeating: 0, count: 3 * h * w), smooth = sharp
        x.withUnsafeBufferPointer { maker.terms($0.baseAddress!, $0.baseAddress!, into: &sharp) }
        flat.withUnsafeBufferPointer { maker.terms($0.baseAddress!, $0.baseAddress!, into: &smooth) }
        let p = h * w
        XCTAssertGreaterThan(smooth[p + 8 * w + 8], sharp[p + 8 * w + 8] + 3)
    }

    /// The map is the pixelwise maximum of the standardised terms; the score the mean of its top 1%.
    func testMapIsTheMaximumOfStandardisedTermsAndScoreItsTopPercent() {
        let (h, w) = (10, 10), x = texture(h, w)
        let maker = ZMapMaker(height: h, width: w, channels: 3)
        var raw = [Float](repeating: 0, count: 3 * h * w), map = [Float](repeating: 0, count: h * w)
        let statistics = [1.0, 2.0, -3.0, 0.5, 0.0, 4.0]
        x.withUnsafeBufferPointer {
            maker.terms($0.baseAddress!, $0.baseAddress!, into: &raw)
            maker.map($0.baseAddress!, $0.baseAddress!, statistics: statistics, into: &map)
        }
        let p = h * w
        for i in [0, 17, 55, 99] {
            let z = (0..<3).map { (Double(raw[$0 * p + i]) - statistics[2 * $0]) / statistics[2 * $0 + 1] }
            XCTAssertEqual(Double(map[i]), z.max()!, accuracy: 1e-4)
        }
        let values: [Float] = (0..<200).map { Float($0) }
        XCTAssertEqual(values.withUnsafeBufferPointer { ZMapMaker.topPercentMean($0.baseAddress!, count: 200) }, 198.5)
    }

    /// The statistics are the mean and standard deviation over images of each term's top-1% mean.
    func testStatisticsAreMomentsOfEachTermsTopPercent() {
        let (h, w) = (10, 10), maker = ZMapMaker(height: h, width: w, channels: 3)
        let images: [[Float]] = (0..<3).map { k in (0..<(3 * h * w)).map { Float(($0 * (7 + k)) % 13) / 13 } }
        let recons: [[Float]] = images.map { $0.map { $0 * 0.9 + 0.05 } }
        var statistics = ZMapStatistics(terms: maker.termCount)
        var tops = [[Double]](repeating: [], count: maker.termCount)
        for (x, r) in zip(images, recons) {
            var raw = [Float](repeating: 0, count: maker.termCount * h * w)
            x.withUnsafeBufferPointer { a in r.withUnsafeBufferPointer { b in
                statistics.add(maker, a.baseAddress!, b.baseAddress!)
                maker.terms(a.baseAddress!, b.baseAddress!, into: &raw)
            } }
            for t in 0..<maker.termCount {
                tops[t].append(Double(raw[(t * h * w)..<((t + 1) * h * w)].max()!))  // top 1% of 100 pixels: the largest
            }
        }
        for t in 0..<maker.termCount {
            let mean = tops[t].reduce(0, +) / 3
            let std = (tops[t].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
            XCTAssertEqual(statistics.values[2 * t], mean, accuracy: 1e-4)
            XCTAssertEqual(statistics.values[2 * t + 1], std, accuracy: 1e-4)
        }
    }
}
