import Foundation

/// 1 − SSIM between an image and its reconstruction, averaged over pixels (Wang et al. 2004):
/// local means, variances and covariance under a Gaussian window of σ pixels (zero padding),
/// SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)), with the usual
/// C1 = (0.01 L)², C2 = (0.03 L)² for values in [0, L = 1].
///
/// The residual's energy says how much is wrong; SSIM says whether local contrast and structure
/// were kept, whatever the brightness. A reconstruction that keeps a garment's outline but
/// smooths away a collar or a texture has a small residual and a poor SSIM. One instance per
/// thread (it owns its buffers).
final class StructuralDissimilarity {
    static let c1: Float = 0.01 * 0.01
    static let c2: Float = 0.03 * 0.03

    private let blur: SeparableBlur
    /// Five planes: the product being blurred, then the blurred x, y, x², y², xy.
    private let buffer: UnsafeMutablePointer<Float>

    init(sigma: Double, height: Int, width: Int, channels: Int) {
        blur = SeparableBlur(sigma: sigma, height: height, width: width, channels: channels)
        buffer = UnsafeMutablePointer<Float>.allocate(capacity: 6 * blur.count)
    }

    deinit { buffer.deallocate() }

    /// Mean of 1 − SSIM over every value of `x` against `y`.
    func mean(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Double {
        let n = blur.count
        let product = buffer, mx = buffer + n, my = buffer + 2 * n, sxx = buffer + 3 * n, syy = buffer + 4 * n, sxy = buffer + 5 * n
        blur.blur(x, into: mx)
        blur.blur(y, into: my)
        for i in 0..<n { product[i] = x[i] * x[i] }
        blur.blur(product, into: sxx)
        for i in 0..<n { product[i] = y[i] * y[i] }
        blur.blur(product, into: syy)
        for i in 0..<n { product[i] = x[i] * y[i] }
        blur.blur(product, into: sxy)
        var total: Double = 0
        for i in 0..<n {
            let a = mx[i], b = my[i]
            let vx = sxx[i] - a * a, vy = syy[i] - b * b, cxy = sxy[i] - a * b
            let ssim = (2 * a * b + Self.c1) * (2 * cxy + Self.c2) / ((a * a + b * b + Self.c1) * (vx + vy + Self.c2))
            total += Double(1 - ssim)
        }
        return total / Double(n)
    }
}
