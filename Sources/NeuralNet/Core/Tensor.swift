/// A Float32 tensor, row-major, batch first (images NHWC, sequences [batch, steps, features]).
///
/// A reference type on purpose: layers own their output and gradient buffers and
/// overwrite them in place on every step, so a training step allocates nothing once
/// the shapes are known. A tensor returned by `forward` stays valid until that
/// layer's next `forward`.
public final class Tensor {
    public private(set) var shape: [Int]
    public private(set) var count: Int
    public private(set) var capacity: Int
    /// Raw storage; `count` elements are meaningful.
    public private(set) var ptr: UnsafeMutablePointer<Float>
    /// False for a view of another tensor's rows, until a resize outgrows it.
    private var ownsStorage = true

    public init(shape: [Int]) {
        self.shape = shape
        self.count = Tensor.elementCount(shape)
        self.capacity = max(count, 1)
        self.ptr = .allocate(capacity: capacity)
        ptr.initialize(repeating: 0, count: capacity)
    }

    public convenience init(shape: [Int], values: [Float]) {
        precondition(Tensor.elementCount(shape) == values.count,
                     "shape \(shape) needs \(Tensor.elementCount(shape)) values, got \(values.count)")
        self.init(shape: shape)
        values.withUnsafeBufferPointer { ptr.update(from: $0.baseAddress!, count: values.count) }
    }

    /// An empty tensor, to be sized by `resize` on first use.
    public convenience init() { self.init(shape: [0]) }

    /// Rows `start..<start+n` of `base` along its first axis, not copied: a view, valid while
    /// `base` lives and keeps its storage. Writing through it writes `base`.
    public init(rowsOf base: Tensor, start: Int, count n: Int) {
        precondition(start >= 0 && n > 0 && start + n <= base.batch, "rows \(start)..<\(start + n) of \(base.shape)")
        shape = [n] + base.shape.dropFirst()
        count = n * base.itemCount
        capacity = count
        ptr = base.ptr + start * base.itemCount
        ownsStorage = false
    }

    deinit { if ownsStorage { ptr.deallocate() } }

    public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Gives the tensor a new shape, keeping the allocation when it is large enough.
    /// Contents are unspecified afterwards unless the element count is unchanged.
    public func resize(_ newShape: [Int]) {
        let n = Tensor.elementCount(newShape)
        if n > capacity {
            if ownsStorage { ptr.deallocate() }
            ownsStorage = true
            capacity = n
            ptr = .allocate(capacity: n)
            ptr.initialize(repeating: 0, count: n)
        }
        shape = newShape
        count = n
    }

    /// Same data, new shape (element count must match).
    public func reshape(_ newShape: [Int]) {
        precondition(Tensor.elementCount(newShape) == count, "cannot reshape \(shape) to \(newShape)")
        shape = newShape
    }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: ptr, count: count) }
    public var array: [Float] { Array(buffer) }
    public var batch: Int { shape[0] }
    /// Elements per batch item.
    public var itemCount: Int { shape.count > 1 ? count / shape[0] : 1 }

    public subscript(i: Int) -> Float {
        get { ptr[i] }
        set { ptr[i] = newValue }
    }

    public func fill(_ value: Float) { ptr.update(repeating: value, count: count) }
    public func zero() { fill(0) }

    public func copy(from other: Tensor) {
        resize(other.shape)
        ptr.update(from: other.ptr, count: count)
    }

    public func clone() -> Tensor {
        let t = Tensor(shape: shape)
        t.ptr.update(from: ptr, count: count)
        return t
    }

    /// Rows `start..<start+n` along the first axis, copied into `into`.
    public func rows(_ start: Int, _ n: Int, into out: Tensor) {
        var s = shape
        s[0] = n
        out.resize(s)
        let item = itemCount
        out.ptr.update(from: ptr + start * item, count: n * item)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor\(shape)" }
}
