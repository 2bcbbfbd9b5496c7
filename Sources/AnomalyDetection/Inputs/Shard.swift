import NeuralNet

/// One of N slices of a run's inputs, so N machines can score one input list with no coordination.
///
/// The rule: an input belongs to shard `fmix64(FNV-1a-64(key)) mod N`, where the key is its path relative to
/// the input argument it was found under (`3/00017.png` for `digits/3/00017.png` found under `digits`;
/// the file name for a file given directly; `name#index` for an image of an IDX file). So the same file
/// lands in the same shard whatever machine runs it and wherever the data is mounted, and adding or
/// removing files moves no other file to another shard (contiguous slices of the sorted list would shift).
/// The price is shards of slightly unequal size (±√(n/N)). fmix64 (MurmurHash3's finaliser) mixes
/// the high bits down: FNV-1a's low bits depend only on the low bits of each byte, so without it
/// N = 4 would split by little more than the last bits of the file names' characters.
///
/// Shards are numbered from 0, like Kubernetes' JOB_COMPLETION_INDEX.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let rule = "fmix64(fnv1a64(path relative to its input argument)) mod N"

    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw DetectorError.input("--shard K/N: N must be at least 1 (got \(count))") }
        guard (0..<count).contains(index) else {
            throw DetectorError.input("--shard K/N: K counts from 0 and must be below N=\(count) (got \(index))")
        }
        self.index = index; self.count = count
    }

    /// "K/N", or "auto/N" with K from JOB_COMPLETION_INDEX (a Kubernetes indexed Job) or else
    /// SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN (a Slurm job array, whatever its first index).
    public init(parsing text: String, environment: [String: String]) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let n = Int(parts[1]) else {
            throw DetectorError.input("--shard must be K/N or auto/N (got \"\(text)\")")
        }
        guard parts[0] == "auto" else {
            guard let k = Int(parts[0]) else { throw DetectorError.input("--shard must be K/N or auto/N (got \"\(text)\")") }
            try self.init(index: k, count: n)
            return
        }
        if let job = environment["JOB_COMPLETION_INDEX"] {
            guard let k = Int(job) else { throw DetectorError.input("--shard auto: JOB_COMPLETION_INDEX is \"\(job)\", not a number") }
            try self.init(index: k, count: n)
        } else if let task = environment["SLURM_ARRAY_TASK_ID"] {
            let first = environment["SLURM_ARRAY_TASK_MIN"] ?? "0"
            guard let id = Int(task), let min = Int(first) else {
                throw DetectorError.input("--shard auto: SLURM_ARRAY_TASK_ID=\(task), SLURM_ARRAY_TASK_MIN=\(first) are not numbers")
            }
            try self.init(index: id - min, count: n)
        } else {
            throw DetectorError.input("--shard auto/N needs JOB_COMPLETION_INDEX (Kubernetes indexed Job) or SLURM_ARRAY_TASK_ID (Slurm job array) in the environment; neither is set — give the shard as K/N")
        }
    }

    public var description: String { "\(index)/\(count)" }

    /// The shard (0..<count) an input with this key belongs to.
    public static func shard(ofKey key: String, count: Int) -> Int { Int(fmix64(FNV1a.hash(key)) % UInt64(count)) }

    static func fmix64(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33; k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33; k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    /// The key of a display path: relative to the longest input argument it lies under.
    public static func key(of path: String, inputs: [String]) -> String {
        var best: (length: Int, key: String)?
        for input in inputs {
            let trimmed = input.count > 1 && input.hasSuffix("/") ? String(input.dropLast()) : input
            let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
            var key: String?
            if path == trimmed {
                key = name
            } else if path.hasPrefix(trimmed + "#") {
                key = name + path.dropFirst(trimmed.count)
            } else if path.hasPrefix(trimmed == "/" ? "/" : trimmed + "/") {
                key = String(path.dropFirst(trimmed == "/" ? 1 : trimmed.count + 1))
            }
            if let key, trimmed.count > (best?.length ?? -1) { best = (trimmed.count, key) }
        }
        return best?.key ?? path
    }

    public func contains(path: String, inputs: [String]) -> Bool {
        Shard.shard(ofKey: Shard.key(of: path, inputs: inputs), count: count) == index
    }

    /// Positions in `set` of this shard's inputs, ascending (input order is kept).
    public func positions(in set: InputSet, inputs: [String]) -> [Int] {
        set.items.indices.filter { contains(path: set.path(of: set.items[$0]), inputs: inputs) }
    }
}
