import Foundation

/// How numbers are printed in the run folder's files.
enum Format {
    /// Nine significant digits: enough for any Float score to read back exactly ("%.9g").
    static func exact(_ x: Double) -> String {
        var bytes: [UInt8] = []
        appendExact(x, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `exact(x)` as bytes appended to `out`: C's snprintf straight into a small buffer, which is
    /// what String(format:) ends in after its own parsing and bridging (those took most of the
    /// time a 10,000-row scores.csv took to write).
    static func appendExact(_ x: Double, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
            let n = withVaList([x]) { vsnprintf(buffer.baseAddress!, 32, "%.9g", $0) }
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: 32) {
                out.append(contentsOf: UnsafeBufferPointer(start: $0, count: min(Int(n), 31)))
            }
        }
    }

    /// Four significant digits for people ("0.01234", "1.5e-05").
    static func short(_ x: Double) -> String {
        String(format: "%.4g", x).replacingOccurrences(of: #"e([+-])0*(\d)"#, with: "e$1$2", options: .regularExpression)
            .replacingOccurrences(of: "e+", with: "e")
    }

    /// "12.3%" style share.
    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    /// Thousands separated by commas: 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
