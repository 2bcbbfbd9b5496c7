import COpenBLAS

/// What BLAS library is linked, for benchmark reports.
public enum BLASInfo {
    /// OpenBLAS's build description (version, target, threading).
    public static var config: String {
        guard let c = openblas_get_config() else { return "OpenBLAS (unknown build)" }
        return String(cString: c)
    }
}
