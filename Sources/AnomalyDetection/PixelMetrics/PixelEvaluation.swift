/// Pixel-level scores of anomaly maps against ground-truth masks, over all evaluated images.
public struct PixelMetrics: Codable, Equatable, Sendable {
    /// ROC AUC over all pixels pooled, defect pixels positive, ties half; nil without both classes.
    public let rocAUC: Double?
    /// Area under PRO(FPR) for FPR ≤ 0.3, divided by 0.3; nil without both classes.
    public let proAUC: Double?
    public let defectPixels: Int
    public let normalPixels: Int
    /// Connected defect regions (8-connectivity), counted per image.
    public let regions: Int
}

/// Accumulates (anomaly map, mask) pairs image by image, then scores them together.
///
/// Definitions as in the MVTec AD benchmark: pixels of all images are pooled; each mask splits into
/// 8-connected regions that weigh the same in the per-region overlap, whatever their size. Memory is
/// 4 bytes per normal pixel and 8 per defect pixel, twice that while `result` sorts them.
public struct PixelEvaluation: Sendable {
    private var normals: [UInt32] = []
    /// Key and region index of each defect pixel (`PixelKey.defect`).
    private var defects: [UInt64] = []
    private var regionSizes: [Int] = []
    private var isSorted = true

    public init() {}

    /// Adds one image: `map` and `mask` are row-major, height × width; `mask` true marks defects.
    public mutating func add(map: [Float], mask: [Bool], height: Int, width: Int) {
        precondition(map.count == height * width, "map has \(map.count) values, not \(height)×\(width)")
        let components = ConnectedComponents(mask: mask, height: height, width: width)
        let firstRegion = regionSizes.count
        regionSizes += components.sizes
        for (value, label) in zip(map, components.labels) {
            let key = PixelKey.of(value)
            if label < 0 {
                normals.append(key)
            } else {
                defects.append(PixelKey.defect(key, region: firstRegion + Int(label)))
            }
        }
        isSorted = false
    }

    /// The scores of everything added so far. Sorts the pooled pixels in place (once per batch of adds).
    public var result: PixelMetrics {
        mutating get {
            if !isSorted {
                RadixSort.sort(&normals)
                RadixSort.sort(&defects, keyFrom: 32)
                isSorted = true
            }
            return PixelMetrics(
                rocAUC: PixelROC.auc(sortedDefects: defects, sortedNormals: normals),
                proAUC: PerRegionOverlap.area(sortedDefects: defects, sortedNormals: normals,
                                              regionSizes: regionSizes),
                defectPixels: defects.count, normalPixels: normals.count, regions: regionSizes.count)
        }
    }
}
