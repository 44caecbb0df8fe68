// One contiguous block of a layer's parameters and the matching block of gradients (llm.c's
// params_memory / grads_memory), described by named tensors. The optimizer, gradient clipping
// and serialisation all walk these blocks, never the layers' internals.

/// A named, shaped slice of a `ParameterBuffer`.
public struct TensorDescriptor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var offset: Int
    public var count: Int { shape.reduce(1, *) }
}

/// Parameters and gradients of one layer, in one allocation each.
///
/// Backward passes accumulate into `gradients` (+=); the caller zeroes them once per step
/// (`zeroGradients()`).
public final class ParameterBuffer<Scalar: NNScalar> {
    public let tensors: [TensorDescriptor]
    public let count: Int
    /// Parameter values, `count` elements.
    public let values: UnsafeMutablePointer<Scalar>
    /// Gradients, `count` elements, same layout as `values`.
    public let gradients: UnsafeMutablePointer<Scalar>

    /// Allocates zeroed storage for tensors of the given names and shapes, laid out in order.
    public init(shapes: [(name: String, shape: [Int])]) {
        var offset = 0
        var tensors: [TensorDescriptor] = []
        for (name, shape) in shapes {
            let descriptor = TensorDescriptor(name: name, shape: shape, offset: offset)
            tensors.append(descriptor)
            offset += descriptor.count
        }
        self.tensors = tensors
        self.count = offset
        values = .allocate(capacity: max(offset, 1))
        values.initialize(repeating: 0, count: max(offset, 1))
        gradients = .allocate(capacity: max(offset, 1))
        gradients.initialize(repeating: 0, count: max(offset, 1))
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// The descriptor of the tensor called `name`.
    public func descriptor(_ name: String) -> TensorDescriptor? { tensors.first { $0.name == name } }

    /// Pointer to the values of tensor `name` (internal: names are fixed by the layer).
    func pointer(_ name: String) -> UnsafeMutablePointer<Scalar> {
        guard let d = descriptor(name) else { preconditionFailure("no tensor \(name)") }
        return values + d.offset
    }

    /// Pointer to the gradients of tensor `name`.
    func gradientPointer(_ name: String) -> UnsafeMutablePointer<Scalar> {
        guard let d = descriptor(name) else { preconditionFailure("no tensor \(name)") }
        return gradients + d.offset
    }

    /// Sets every gradient to 0.
    public func zeroGradients() { gradients.update(repeating: 0, count: count) }

    /// A copy of all values, flattened in tensor order.
    public var flatValues: [Scalar] {
        get { Array(UnsafeBufferPointer(start: values, count: count)) }
        set {
            precondition(newValue.count == count, "flatValues: wrong count")
            newValue.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: count) }
        }
    }

    /// A copy of all gradients, flattened in tensor order.
    public var flatGradients: [Scalar] { Array(UnsafeBufferPointer(start: gradients, count: count)) }

    /// A copy of one tensor's values.
    public func tensorValues(_ name: String) -> [Scalar] {
        guard let d = descriptor(name) else { return [] }
        return Array(UnsafeBufferPointer(start: values + d.offset, count: d.count))
    }

    /// Replaces one tensor's values.
    public func setTensorValues(_ name: String, _ newValues: [Scalar]) throws {
        guard let d = descriptor(name) else { throw NNError.tensorMismatch("no tensor named \(name)") }
        guard newValues.count == d.count else {
            throw NNError.shapeMismatch(what: name, expected: d.count, actual: newValues.count)
        }
        newValues.withUnsafeBufferPointer { (values + d.offset).update(from: $0.baseAddress!, count: d.count) }
    }

    /// A copy of one tensor's gradients.
    public func tensorGradients(_ name: String) -> [Scalar] {
        guard let d = descriptor(name) else { return [] }
        return Array(UnsafeBufferPointer(start: gradients + d.offset, count: d.count))
    }
}
