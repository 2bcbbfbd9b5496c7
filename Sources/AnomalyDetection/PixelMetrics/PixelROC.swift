/// Pixel ROC AUC over pooled pixels, defect pixels positive.
enum PixelROC {
    /// P(defect > normal) + ½ P(tie) from the defect words and normal keys (`PixelKey`), both sorted
    /// ascending by key. One merge pass: each run of tied defect keys counts the normals below and equal.
    static func auc(sortedDefects defects: [UInt64], sortedNormals normals: [UInt32]) -> Double? {
        guard !defects.isEmpty, !normals.isEmpty else { return nil }
        var doubled = 0, below = 0, i = 0
        while i < defects.count {
            let key = PixelKey.key(ofDefect: defects[i])
            var run = 0
            while i < defects.count, PixelKey.key(ofDefect: defects[i]) == key { run += 1; i += 1 }
            while below < normals.count, normals[below] < key { below += 1 }
            var notAbove = below
            while notAbove < normals.count, normals[notAbove] == key { notAbove += 1 }
            doubled += run * (below + notAbove)  // 2·below + ties
        }
        return Double(doubled) / (2 * Double(defects.count) * Double(normals.count))
    }
}
