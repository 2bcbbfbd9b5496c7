import Foundation

/// A chart axis: maps data values to [0, 1] along the plot and supplies labelled ticks.
struct Axis {
    enum Scale { case linear, log }

    let scale: Scale
    /// Domain ends in data units; the axis runs exactly from `low` to `high`.
    let low: Double
    let high: Double
    let ticks: [Double]
    private let decimals: Int

    /// A linear axis over [min, max] widened to multiples of a 1/2/5 × 10^k step giving about
    /// `targetTicks` ticks. A step below `minimumStep` (1 for epoch numbers) is raised to it.
    static func linear(covering min: Double, _ max: Double, targetTicks: Int = 6, minimumStep: Double = 0) -> Axis {
        var lo = min, hi = max
        if !(hi > lo) { // a single value: give it room on both sides
            let pad = lo == 0 ? 1 : abs(lo) / 2
            lo -= pad; hi += pad
        }
        let step = Swift.max(niceStep(for: (hi - lo) / Double(Swift.max(targetTicks - 1, 1))), minimumStep)
        // The 1e-9 keeps 1.2/0.2 = 5.999… from adding an empty step.
        let first = (lo / step + 1e-9).rounded(.down), last = (hi / step - 1e-9).rounded(.up)
        let ticks = stride(from: first, through: last, by: 1).map { $0 * step + 0.0 }
        let decimals = Swift.max(0, Int(-(log10(step) + 1e-9).rounded(.down)))
        return Axis(scale: .linear, low: first * step, high: last * step, ticks: ticks, decimals: decimals)
    }

    /// A log₁₀ axis over whole decades covering [min, max] (both > 0). Ticks at powers of ten,
    /// plus 2× and 5× when the axis spans fewer than three decades.
    static func log(covering min: Double, _ max: Double) -> Axis {
        let first = log10(min).rounded(.down)
        var last = log10(max).rounded(.up)
        if last <= first { last = first + 1 }
        let decades = stride(from: first, through: last, by: 1).map { pow(10, $0) }
        let multiples: [Double] = last - first < 3 ? [1, 2, 5] : [1]
        let ticks = decades.flatMap { d in multiples.map { $0 * d } }.filter { $0 <= pow(10, last) * (1 + 1e-9) }
        return Axis(scale: .log, low: pow(10, first), high: pow(10, last), ticks: ticks, decimals: 0)
    }

    /// The 1, 2 or 5 × 10^k nearest above `rough`.
    static func niceStep(for rough: Double) -> Double {
        let magnitude = pow(10, log10(rough).rounded(.down))
        let fraction = rough / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Position of `value` along the axis: 0 at `low`, 1 at `high`.
    func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear: return (value - low) / (high - low)
        case .log: return (log10(value) - log10(low)) / (log10(high) - log10(low))
        }
    }

    func label(_ tick: Double) -> String {
        if scale == .log || abs(tick) >= 1e6 || (tick != 0 && abs(tick) < 1e-4) {
            return compact(tick)
        }
        return String(format: "%.\(decimals)f", tick)
    }

    /// "%g" without the zero-padded exponent: 1e-05 → "1e-5", 0.002 → "0.002".
    private func compact(_ x: Double) -> String {
        String(format: "%g", x).replacingOccurrences(of: #"e([+-])0*(\d)"#, with: "e$1$2", options: .regularExpression)
            .replacingOccurrences(of: "e+", with: "e")
    }
}
