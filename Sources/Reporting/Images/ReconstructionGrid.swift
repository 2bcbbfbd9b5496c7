import Foundation

/// A picture of how the model sees some inputs: one row per example with the input, its
/// reconstruction and the per-pixel error |x − x̂| (averaged over channels) as a heatmap, each
/// labelled with the file name and score, and a colour scale for the heatmap underneath.
///
/// Pixels are enlarged by a whole factor (nearest neighbour, so single pixels stay visible).
/// Images larger than `largestPanel` pixels are reduced by a whole factor instead: each block's
/// input and reconstruction are averaged, and its error panel shows the block's largest
/// error, so a one-pixel defect stays as bright as it is at full size.
/// The heatmap maps 0 to the bottom of the colour map and `errorMaximum` (by default the
/// largest pixel error in the grid) to the top; pass the same maximum to grids that are to be
/// compared, such as outliers and inliers.
public struct ReconstructionGrid {
    public let image: RGBImage
    public let scale: Int
    /// Image pixels per panel pixel along each axis (1 unless the image is large).
    public let reduction: Int
    public let errorMaximum: Double

    public var width: Int { image.width }
    public var height: Int { image.height }
    /// RGB bytes, row-major.
    public var pixels: [UInt8] { image.pixels }

    // Layout in output pixels.
    static let margin = 4
    static let gutter = 2
    static let lineHeight = BitmapFont.glyphHeight + 2
    static let rowSpacing = 6
    static let scaleBarHeight = 8
    static let minimumWidth = 150
    static let ink: RGBImage.Colour = (30, 30, 30)
    /// Longest panel side before an image is reduced (the full-size anomaly maps are `--maps`'s).
    static let largestPanel = 256

    /// - Parameters:
    ///   - scale: pixel enlargement; by default enough to make a panel about 84 pixels (3× for 28×28).
    ///   - showsScaleBar: draw the colour scale under the rows.
    public init(examples: [RunReport.Example], scale: Int? = nil, errorMaximum: Double? = nil, showsScaleBar: Bool = true) {
        let panelHeight = examples.map(\.height).max() ?? 1, panelWidth = examples.map(\.width).max() ?? 1
        let s = scale ?? ReconstructionGrid.defaultScale(height: panelHeight, width: panelWidth)
        let r = scale == nil ? ReconstructionGrid.defaultReduction(height: panelHeight, width: panelWidth) : 1
        let maximum = errorMaximum ?? ReconstructionGrid.largestError(examples)
        self.scale = s
        self.reduction = r
        self.errorMaximum = maximum > 0 && maximum.isFinite ? maximum : 1
        let layout = Layout(panelWidth: Self.reduced(panelWidth, r) * s, panelHeight: Self.reduced(panelHeight, r) * s,
                            rows: examples.count, showsScaleBar: showsScaleBar)
        var image = RGBImage(width: layout.width, height: layout.height)
        layout.drawHeader(on: &image)
        for (row, example) in examples.enumerated() {
            layout.drawRow(example, at: row, scale: s, reduction: r, errorMaximum: self.errorMaximum, on: &image)
        }
        if showsScaleBar { layout.drawScaleBar(maximum: self.errorMaximum, on: &image) }
        self.image = image
    }

    /// The same layout for a single input (the CLI's `render`).
    public static func render(_ example: RunReport.Example, scale: Int? = nil, errorMaximum: Double? = nil) -> ReconstructionGrid {
        ReconstructionGrid(examples: [example], scale: scale, errorMaximum: errorMaximum)
    }

    public func png() throws -> Data { try image.png() }

    /// The whole factor that brings the longer side to about 84 pixels (at least 1).
    public static func defaultScale(height: Int, width: Int) -> Int {
        max(1, Int((84.0 / Double(max(height, width, 1))).rounded()))
    }

    /// The whole factor that brings the longer side to at most `largestPanel` pixels (1 for smaller images).
    public static func defaultReduction(height: Int, width: Int) -> Int {
        max(1, (max(height, width) + largestPanel - 1) / largestPanel)
    }

    /// Panel pixels along a side of `length` image pixels reduced by `r`.
    static func reduced(_ length: Int, _ r: Int) -> Int { (length + r - 1) / r }

    /// Largest per-pixel error (channel mean of |x − x̂|) over `examples`.
    public static func largestError(_ examples: [RunReport.Example]) -> Double {
        examples.map { Double(pixelErrors($0).max() ?? 0) }.max() ?? 0
    }

    /// Per-pixel |x − x̂| averaged over channels, height × width.
    public static func pixelErrors(_ e: RunReport.Example) -> [Float] {
        let c = max(e.channels, 1)
        precondition(e.input.count == e.height * e.width * c && e.reconstruction.count == e.input.count,
                     "example \(e.path): \(e.input.count) input and \(e.reconstruction.count) reconstructed values for "
                         + "\(e.height)×\(e.width)×\(c)")
        return (0..<e.height * e.width).map { p in
            var sum: Float = 0
            for k in 0..<c { sum += abs(e.input[p * c + k] - e.reconstruction[p * c + k]) }
            return sum / Float(c)
        }
    }
}

/// Where things go in a grid image.
private struct Layout {
    typealias G = ReconstructionGrid
    let panelWidth: Int
    let panelHeight: Int
    let rows: Int
    let showsScaleBar: Bool

    var rowHeight: Int { G.lineHeight + panelHeight + G.rowSpacing }
    var panelsWidth: Int { 3 * panelWidth + 2 * G.gutter }
    var width: Int { max(2 * G.margin + panelsWidth, G.minimumWidth) }
    var headerHeight: Int { G.lineHeight }
    var scaleBarTop: Int { G.margin + headerHeight + rows * rowHeight }
    /// The last row's spacing is replaced by the margin, or separates the rows from the scale bar.
    var height: Int {
        scaleBarTop - G.rowSpacing + G.margin
            + (showsScaleBar ? G.rowSpacing + G.scaleBarHeight + 2 + BitmapFont.glyphHeight : 0)
    }
    var contentWidth: Int { width - 2 * G.margin }

    func panelLeft(_ column: Int) -> Int { G.margin + column * (panelWidth + G.gutter) }

    func drawHeader(on image: inout RGBImage) {
        for (column, title) in ["input", "reconstructed", "|error|"].enumerated() {
            image.draw(fit(title, panelWidth), x: panelLeft(column), y: G.margin, colour: G.ink)
        }
    }

    func drawRow(_ e: RunReport.Example, at row: Int, scale s: Int, reduction r: Int, errorMaximum: Double,
                 on image: inout RGBImage) {
        let top = G.margin + headerHeight + row * rowHeight
        image.draw(label(e), x: G.margin, y: top, colour: G.ink)
        let panelTop = top + G.lineHeight
        let errors = G.pixelErrors(e)
        let c = max(e.channels, 1)
        var inputBlock = [Float](repeating: 0, count: c), outputBlock = inputBlock
        for by in 0..<G.reduced(e.height, r) {
            for bx in 0..<G.reduced(e.width, r) {
                let ys = by * r..<min(by * r + r, e.height), xs = bx * r..<min(bx * r + r, e.width)
                var largest: Float = 0
                for k in 0..<c { inputBlock[k] = 0; outputBlock[k] = 0 }
                for y in ys { for x in xs {
                    let p = y * e.width + x
                    largest = max(largest, errors[p])
                    for k in 0..<c { inputBlock[k] += e.input[p * c + k]; outputBlock[k] += e.reconstruction[p * c + k] }
                } }
                let n = Float(ys.count * xs.count)
                for k in 0..<c { inputBlock[k] /= n; outputBlock[k] /= n }
                let input = Layout.colour(inputBlock, at: 0, channels: c)
                let output = Layout.colour(outputBlock, at: 0, channels: c)
                let heat = ColourMap.colour(Double(largest) / errorMaximum)
                for (column, colour) in [input, output, heat].enumerated() {
                    image.fill(x: panelLeft(column) + bx * s, y: panelTop + by * s, width: s, height: s, colour)
                }
            }
        }
    }

    /// A gradient bar across the panels with 0, the middle and the maximum written under it.
    func drawScaleBar(maximum: Double, on image: inout RGBImage) {
        let top = scaleBarTop, barWidth = contentWidth
        for x in 0..<barWidth {
            let colour = ColourMap.colour(Double(x) / Double(max(barWidth - 1, 1)))
            image.fill(x: G.margin + x, y: top, width: 1, height: G.scaleBarHeight, colour)
        }
        let textTop = top + G.scaleBarHeight + 2
        let high = Format.short(maximum), middle = "|error|"
        image.draw("0", x: G.margin, y: textTop, colour: G.ink)
        image.draw(middle, x: G.margin + (barWidth - BitmapFont.width(of: middle)) / 2, y: textTop, colour: G.ink)
        image.draw(high, x: G.margin + barWidth - BitmapFont.width(of: high), y: textTop, colour: G.ink)
    }

    /// "path  score", the path shortened from the left when the line is too long.
    func label(_ e: RunReport.Example) -> String {
        let score = "  " + Format.short(e.score)
        let room = contentWidth - BitmapFont.width(of: score) - BitmapFont.advance
        return fit(e.path, room, keepEnd: true) + score
    }

    /// `text` cut with "..." to at most `pixels` wide.
    func fit(_ text: String, _ pixels: Int, keepEnd: Bool = false) -> String {
        let characters = max((pixels + 1) / BitmapFont.advance, 0)
        guard text.count > characters else { return text }
        let kept = max(characters - 3, 0)
        return keepEnd ? "..." + text.suffix(kept) : text.prefix(kept) + "..."
    }

    static func colour(_ values: [Float], at i: Int, channels: Int) -> RGBImage.Colour {
        func byte(_ v: Float) -> UInt8 { UInt8((min(max(v.isNaN ? 0 : v, 0), 1) * 255).rounded()) }
        if channels >= 3 { return (byte(values[i]), byte(values[i + 1]), byte(values[i + 2])) }
        let g = byte(values[i])
        return (g, g, g)
    }
}

extension ReconstructionGrid {
    /// One heat scale for the outlier and inlier grids of a report, so their colours compare.
    public static func sharedErrorMaximum(_ report: RunReport) -> Double {
        let m = largestError(report.topOutliers + report.typicalInliers)
        return m > 0 && m.isFinite ? m : 1
    }
}
