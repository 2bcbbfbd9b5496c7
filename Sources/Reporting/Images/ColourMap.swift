/// A perceptually uniform colour map for error heatmaps: matplotlib's "inferno" sampled at nine
/// evenly spaced points and interpolated linearly (black for no error, pale yellow for the most).
public enum ColourMap {
    static let inferno: [(Double, Double, Double)] = [
        (0, 0, 4), (31, 12, 72), (85, 15, 109), (136, 34, 106), (186, 54, 85),
        (227, 89, 51), (249, 140, 10), (249, 201, 50), (252, 255, 164),
    ]

    public static var bottom: RGBImage.Colour { colour(0) }
    public static var top: RGBImage.Colour { colour(1) }

    /// The colour for `t` in [0, 1] (clamped; NaN counts as 0).
    public static func colour(_ t: Double) -> RGBImage.Colour {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let position = clamped * Double(inferno.count - 1)
        let i = min(Int(position), inferno.count - 2)
        let f = position - Double(i)
        let a = inferno[i], b = inferno[i + 1]
        func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * f).rounded()) }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
