/// AUPRO: the area under the per-region overlap as a function of the pixel false-positive rate.
enum PerRegionOverlap {
    /// The area under PRO(FPR) for FPR in [0, `maxFPR`], divided by `maxFPR` (1 for a perfect map).
    ///
    /// `defects` (words of `PixelKey.defect`) and `normals` are sorted ascending by key; region r has
    /// `regionSizes[r]` pixels. Thresholds fall from +∞; at each distinct key every pixel at or above
    /// it is flagged, so a key shared by defect and normal pixels is one diagonal step. The trapezoid
    /// rule joins the steps and PRO is interpolated linearly at `maxFPR`.
    static func area(sortedDefects defects: [UInt64], sortedNormals normals: [UInt32],
                     regionSizes: [Int], maxFPR: Double = 0.3) -> Double? {
        precondition(maxFPR > 0 && maxFPR <= 1, "maxFPR must be in (0, 1]")
        guard !defects.isEmpty, !normals.isEmpty, !regionSizes.isEmpty else { return nil }
        let weights = regionSizes.map { 1 / Double($0) / Double(regionSizes.count) }
        let n = Double(normals.count)
        var d = defects.count, m = normals.count  // pixels below these indices are not flagged yet
        var fpr = 0.0, pro = 0.0, area = 0.0
        while true {
            let key = max(d > 0 ? PixelKey.key(ofDefect: defects[d - 1]) : 0, m > 0 ? normals[m - 1] : 0)
            var nextPRO = pro
            while d > 0, PixelKey.key(ofDefect: defects[d - 1]) == key {
                d -= 1
                nextPRO += weights[PixelKey.region(ofDefect: defects[d])]
            }
            while m > 0, normals[m - 1] == key { m -= 1 }
            let nextFPR = Double(normals.count - m) / n
            if nextFPR >= maxFPR {
                let atMax = pro + (nextPRO - pro) * (maxFPR - fpr) / (nextFPR - fpr)
                return (area + (maxFPR - fpr) * (pro + atMax) / 2) / maxFPR
            }
            area += (nextFPR - fpr) * (pro + nextPRO) / 2
            (fpr, pro) = (nextFPR, nextPRO)
        }
    }
}
