// A reusable, growable raw buffer. Layers keep their window caches in these so that repeated
// forward/backward calls of the same (or smaller) size allocate nothing.

final class ScratchBuffer<Scalar: NNScalar> {
    private(set) var pointer: UnsafeMutablePointer<Scalar>
    private(set) var capacity: Int

    init(_ count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` elements; contents are undefined (zero) after a growth.
    func ensure(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }

    /// Grows to `count` if needed and zeroes the first `count` elements.
    func zeroed(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        ensure(count)
        pointer.update(repeating: 0, count: count)
        return pointer
    }
}
