import Foundation
import NeuralNet

/// Label propagation on a k-nearest-neighbour graph (Zhou et al. 2004, "Learning with local and
/// global consistency"; as used for pseudo-labels by Iscen et al. 2019): the nodes are feature
/// vectors (an encoder's codes), each joined to its `k` most cosine-similar others with weight
/// max(0, s)^γ, the graph made symmetric (W = A + Aᵀ) and normalised (S = D^-½ W D^-½); the
/// labelled nodes' one-hot rows Y spread by F ← α S F + (1 − α) Y.
///
/// Every figure is computed in a fixed order whatever `parallelism` (rows are split between
/// threads, each row computed alone; similarities by `stableGEMM`), so the result does not
/// depend on the thread count.
public enum LabelPropagation {
    /// The graph: for node i, its neighbours `indices[i*k ..< (i+1)*k]` with cosine
    /// similarities `similarities[...]`, most similar first (ties: lower index first).
    public struct Neighbours: Equatable, Sendable {
        public let count: Int
        public let k: Int
        public let indices: [Int32]
        public let similarities: [Float]
    }

    /// Rows of `features` ([count × dimension]) scaled to unit length (a zero row stays zero).
    static func normalised(_ features: [Float], count: Int, dimension: Int) -> [Float] {
        var out = features
        for i in 0..<count {
            var s: Float = 0
            for j in 0..<dimension { let v = out[i * dimension + j]; s += v * v }
            let scale: Float = s > 0 ? 1 / s.squareRoot() : 0
            for j in 0..<dimension { out[i * dimension + j] *= scale }
        }
        return out
    }

    /// The `k` nearest neighbours of every row of `features` by cosine similarity, itself excluded.
    public static func neighbours(features: [Float], count: Int, dimension: Int, k: Int,
                                  parallelism: Parallelism = .serial) -> Neighbours {
        precondition(features.count == count * dimension && k >= 1 && k < count)
        let x = normalised(features, count: count, dimension: dimension)
        // Xᵀ [dimension × count], the right operand of X·Xᵀ.
        var t = [Float](repeating: 0, count: count * dimension)
        for i in 0..<count { for j in 0..<dimension { t[j * count + i] = x[i * dimension + j] } }
        var indices = [Int32](repeating: 0, count: count * k)
        var similarities = [Float](repeating: 0, count: count * k)
        let block = 96
        let blocks = (count + block - 1) / block
        x.withUnsafeBufferPointer { xp in
            t.withUnsafeBufferPointer { tp in
                indices.withUnsafeMutableBufferPointer { ip in
                    similarities.withUnsafeMutableBufferPointer { sp in
                        let ip = ip.baseAddress!, sp = sp.baseAddress!
                        parallelism.split(blocks) { range, _ in
                            let sims = UnsafeMutablePointer<Float>.allocate(capacity: block * count)
                            defer { sims.deallocate() }
                            var topS = [Float](repeating: 0, count: k), topI = [Int32](repeating: 0, count: k)
                            for b in range {
                                let start = b * block, rows = min(block, count - start)
                                stableGEMM(m: rows, n: count, k: dimension, a: xp.baseAddress! + start * dimension, lda: dimension,
                                           b: tp.baseAddress!, ldb: count, c: sims, ldc: count)
                                for r in 0..<rows {
                                    let row = sims + r * count, me = start + r
                                    // Sorted descending; a candidate enters when it beats the last (ties keep the lower index).
                                    var filled = 0
                                    for j in 0..<count where j != me {
                                        let s = row[j]
                                        if filled == k && !(s > topS[k - 1]) { continue }
                                        var p = filled == k ? k - 1 : filled
                                        if filled < k { filled += 1 }
                                        while p > 0 && s > topS[p - 1] { topS[p] = topS[p - 1]; topI[p] = topI[p - 1]; p -= 1 }
                                        topS[p] = s; topI[p] = Int32(j)
                                    }
                                    for q in 0..<k { ip[me * k + q] = topI[q]; sp[me * k + q] = topS[q] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Neighbours(count: count, k: k, indices: indices, similarities: similarities)
    }

    /// F after `iterations` steps of F ← α S F + (1 − α) Y, [count × classes], from the seeds
    /// (node, class). A node no labelled node reaches keeps a zero row.
    public static func propagate(_ graph: Neighbours, seeds: [(node: Int, label: Int)], classes: Int,
                                 alpha: Float = 0.99, gamma: Float = 3, iterations: Int = 20,
                                 parallelism: Parallelism = .serial) -> [Float] {
        let n = graph.count, k = graph.k
        // W = A + Aᵀ as rows of (column, weight), each row sorted by column with duplicates summed.
        var rows = [[(Int32, Float)]](repeating: [], count: n)
        for i in 0..<n {
            for q in 0..<k {
                let j = Int(graph.indices[i * k + q])
                let w = pow(max(0, graph.similarities[i * k + q]), gamma)
                guard w > 0 else { continue }
                rows[i].append((Int32(j), w))
                rows[j].append((Int32(i), w))
            }
        }
        var offsets = [Int](repeating: 0, count: n + 1)
        var columns: [Int32] = [], weights: [Float] = []
        columns.reserveCapacity(2 * n * k); weights.reserveCapacity(2 * n * k)
        for i in 0..<n {
            // Stable sort by column, so equal columns are summed in the order they were added.
            let sorted = rows[i].enumerated().sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }
            var last: Int32 = -1
            for (_, e) in sorted {
                if e.0 == last { weights[weights.count - 1] += e.1 } else { columns.append(e.0); weights.append(e.1); last = e.0 }
            }
            offsets[i + 1] = columns.count
        }
        rows = []
        var scale = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var d: Float = 0
            for e in offsets[i]..<offsets[i + 1] { d += weights[e] }
            scale[i] = d > 0 ? 1 / d.squareRoot() : 0
        }
        for i in 0..<n { for e in offsets[i]..<offsets[i + 1] { weights[e] *= scale[i] * scale[Int(columns[e])] } }
        var y = [Float](repeating: 0, count: n * classes)
        for s in seeds { y[s.node * classes + s.label] = 1 }
        var f = y, next = y
        for _ in 0..<iterations {
            f.withUnsafeBufferPointer { fp in
                next.withUnsafeMutableBufferPointer { np in
                    let fp = fp.baseAddress!, np = np.baseAddress!
                    parallelism.split(n, work: n * 2 * k * classes, minimum: Parallelism.minimumFloats) { range, _ in
                        for i in range {
                            let out = np + i * classes
                            for c in 0..<classes { out[c] = (1 - alpha) * y[i * classes + c] }
                            for e in offsets[i]..<offsets[i + 1] {
                                let w = alpha * weights[e], from = fp + Int(columns[e]) * classes
                                for c in 0..<classes { out[c] += w * from[c] }
                            }
                        }
                    }
                }
            }
            swap(&f, &next)
        }
        return f
    }

    /// Each row's class (argmax, lowest index on a tie) and confidence: its share of the row's
    /// sum (0 for a zero row).
    public static func decisions(_ f: [Float], classes: Int) -> [(label: Int, confidence: Float)] {
        let n = f.count / classes
        return (0..<n).map { i in
            var top = 0, sum: Float = 0
            for c in 0..<classes {
                sum += f[i * classes + c]
                if f[i * classes + c] > f[i * classes + top] { top = c }
            }
            return (top, sum > 0 ? f[i * classes + top] / sum : 0)
        }
    }
}
