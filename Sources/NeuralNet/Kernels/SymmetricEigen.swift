import COpenBLAS

/// Eigen-decomposition of a real symmetric matrix through LAPACK's `dsyevd` (in OpenBLAS).
public enum SymmetricEigen {
    public struct Failure: Error, CustomStringConvertible {
        public let info: Int
        public var description: String { "dsyevd failed (info \(info))" }
    }

    /// Eigenvalues in descending order and the matching unit eigenvectors, vector i in
    /// `vectors[i*n ..< (i+1)*n]`. `matrix` is n×n and symmetric, so row- and column-major agree.
    public static func decompose(_ matrix: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n, "SymmetricEigen: \(matrix.count) values for \(n)×\(n)")
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var jobz = Int8(UInt8(ascii: "V")), uplo = Int8(UInt8(ascii: "U"))
        var dim = Int32(n), lda = Int32(n), info: Int32 = 0
        // Workspace query first (lwork = liwork = −1), then the real call.
        var workSize = 0.0, iworkSize: Int32 = 0, query: Int32 = -1
        dsyevd_(&jobz, &uplo, &dim, &a, &lda, &w, &workSize, &query, &iworkSize, &query, &info)
        guard info == 0 else { throw Failure(info: Int(info)) }
        var lwork = Int32(workSize), liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &dim, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        guard info == 0 else { throw Failure(info: Int(info)) }
        // LAPACK returns ascending values and eigenvectors as columns (column-major) = rows here.
        var values: [Double] = [], vectors: [Double] = []
        values.reserveCapacity(n); vectors.reserveCapacity(n * n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            values.append(w[i])
            vectors += a[(i * n)..<((i + 1) * n)]
        }
        return (values, vectors)
    }
}
