import AnomalyDetection
import Foundation

extension LatentCodes {
    /// path, status, message, z0 … z(size−1): every input, one row each.
    public func csv() -> String {
        var w = CSVWriter(header: ["path", "status", "message"] + (0..<size).map { "z\($0)" })
        for r in rows {
            if let code = r.code {
                w.append([r.path, "ok", ""] + code.map { String(format: "%.9g", $0) })
            } else {
                w.append([r.path, "error", r.message ?? ""] + Array(repeating: "", count: size))
            }
        }
        return w.text
    }
}
