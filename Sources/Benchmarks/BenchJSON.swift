import Foundation

/// The one-line JSON results that `bench/compare` reads from the bench subcommands.
enum BenchJSON {
    static func line(_ fields: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Peak resident set size of this process so far (Linux reports ru_maxrss in KiB).
    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
