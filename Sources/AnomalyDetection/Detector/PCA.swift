import NeuralNet

/// Principal component analysis, the linear baseline of the one-class benchmark: keep the
/// top components of the normal data and score a sample by how badly their span
/// reconstructs it. Covariance through one GEMM, eigenvectors through LAPACK (`dsyevd`).
public struct PCA {
    public let dimension: Int
    public let mean: [Float]
    /// Unit principal directions, one per row (k × dimension), largest variance first.
    public let components: [Float]
    /// The variance along each kept direction (eigenvalues of the covariance), descending.
    public let variances: [Double]
    public var componentCount: Int { variances.count }

    /// Fits on `count` samples of `dimension` values stored back to back.
    public static func fit(_ samples: UnsafePointer<Float>, count n: Int, dimension d: Int, components k: Int) throws -> PCA {
        precondition(n >= 2 && k >= 1 && k <= d, "PCA: \(n) samples, \(k) of \(d) components")
        var mean = [Float](repeating: 0, count: d)
        for s in 0..<n { for j in 0..<d { mean[j] += samples[s * d + j] } }
        for j in 0..<d { mean[j] /= Float(n) }
        let centred = UnsafeMutablePointer<Float>.allocate(capacity: n * d)
        defer { centred.deallocate() }
        for s in 0..<n { for j in 0..<d { centred[s * d + j] = samples[s * d + j] - mean[j] } }
        if n < d { return try fitGram(centred, count: n, dimension: d, components: k, mean: mean) }
        // C = Xcᵀ·Xc / (n − 1)
        var cov = [Float](repeating: 0, count: d * d)
        cov.withUnsafeMutableBufferPointer { c in
            gemm(transA: true, m: d, n: d, k: n, alpha: 1 / Float(n - 1), a: centred, lda: d, b: centred, ldb: d,
                 c: c.baseAddress!, ldc: d)
        }
        let eigen = try SymmetricEigen.decompose(cov.map(Double.init), n: d)
        return PCA(dimension: d, mean: mean, components: eigen.vectors[0..<(k * d)].map(Float.init),
                   variances: Array(eigen.values[0..<k]))
    }

    /// Fewer samples than dimensions (images): the n × n Gram matrix G = Xc·Xcᵀ has the same
    /// non-zero eigenvalues as (n − 1)·C, and an eigenvector u of G gives the direction Xcᵀu/‖Xcᵀu‖.
    private static func fitGram(_ centred: UnsafeMutablePointer<Float>, count n: Int, dimension d: Int, components k: Int,
                                mean: [Float]) throws -> PCA {
        var gram = [Float](repeating: 0, count: n * n)
        gram.withUnsafeMutableBufferPointer { g in
            gemm(transB: true, m: n, n: n, k: d, a: centred, lda: d, b: centred, ldb: d, c: g.baseAddress!, ldc: n)
        }
        let eigen = try SymmetricEigen.decompose(gram.map(Double.init), n: n)
        let kept = min(k, n - 1)
        var components = [Float](repeating: 0, count: kept * d)
        let u = eigen.vectors[0..<(kept * n)].map(Float.init)
        u.withUnsafeBufferPointer { u in components.withUnsafeMutableBufferPointer { p in
            gemm(m: kept, n: d, k: n, a: u.baseAddress!, lda: n, b: centred, ldb: d, c: p.baseAddress!, ldc: d)
        } }
        for r in 0..<kept {
            var norm: Float = 0
            for j in 0..<d { norm += components[r * d + j] * components[r * d + j] }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for j in 0..<d { components[r * d + j] *= scale }
        }
        return PCA(dimension: d, mean: mean, components: components,
                   variances: eigen.values[0..<kept].map { $0 / Double(n - 1) })
    }

    /// Projections onto the span of the components, x̂ = μ + PᵀP(x − μ), written to `out`.
    public func reconstruct(_ samples: UnsafePointer<Float>, count n: Int, into out: UnsafeMutablePointer<Float>) {
        let d = dimension, k = componentCount
        for s in 0..<n { for j in 0..<d { out[s * d + j] = samples[s * d + j] - mean[j] } }
        var codes = [Float](repeating: 0, count: n * k)
        components.withUnsafeBufferPointer { p in
            codes.withUnsafeMutableBufferPointer { z in
                gemm(transB: true, m: n, n: k, k: d, a: out, lda: d, b: p.baseAddress!, ldb: d, c: z.baseAddress!, ldc: k)
                for s in 0..<n { for j in 0..<d { out[s * d + j] = mean[j] } }
                gemm(m: n, n: d, k: k, a: z.baseAddress!, lda: k, b: p.baseAddress!, ldb: d, beta: 1, c: out, ldc: d)
            }
        }
    }

    /// Scores of `count` samples under a scoring rule (pixel MSE is the reconstruction error).
    public func scores(_ samples: UnsafePointer<Float>, count n: Int, rule: ScoringRule = .pixelMSE,
                       preprocessing: Preprocessing) -> [Double] {
        let recon = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n * dimension))
        defer { recon.deallocate() }
        reconstruct(samples, count: n, into: recon)
        return rule.scores(inputs: samples, reconstructions: recon, count: n, height: preprocessing.height,
                           width: preprocessing.width, channels: preprocessing.channels)
    }
}
