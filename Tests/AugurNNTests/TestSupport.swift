// Shared helpers for the AugurNN tests: seeded random arrays, norm-wise relative error, and a
// central-difference gradient checker in Double.

@testable import AugurNN

func randomArray(_ count: Int, scale: Double = 1, generator: inout SeededGenerator) -> [Double] {
    (0..<count).map { _ in generator.nextUniform(-scale, scale) }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

func norm(_ a: [Double]) -> Double { a.reduce(0) { $0 + $1 * $1 }.squareRoot() }

/// ‖a − b‖ / max(‖a‖, ‖b‖): the tensor-wise relative error (0 when both are 0).
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    let diff = norm(zip(a, b).map { $0 - $1 })
    let scale = max(norm(a), norm(b))
    return scale == 0 ? 0 : diff / scale
}

/// Largest |a − b| (reported next to the relative error).
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Central differences of `loss` w.r.t. each element of `values` (perturbed in place, restored).
func numericGradient(count: Int, get: (Int) -> Double, set: (Int, Double) -> Void, loss: () throws -> Double,
                     epsilon: Double = 1e-5) rethrows -> [Double] {
    var g = [Double](repeating: 0, count: count)
    for k in 0..<count {
        let v = get(k)
        set(k, v + epsilon)
        let plus = try loss()
        set(k, v - epsilon)
        let minus = try loss()
        set(k, v)
        g[k] = (plus - minus) / (2 * epsilon)
    }
    return g
}

/// Numeric gradient of `loss` w.r.t. every parameter of a buffer, tensor by tensor.
func numericParameterGradients(_ buffer: ParameterBuffer<Double>, loss: () throws -> Double) rethrows -> [String: [Double]] {
    var result: [String: [Double]] = [:]
    for t in buffer.tensors {
        result[t.name] = try numericGradient(count: t.count, get: { buffer.values[t.offset + $0] },
                                             set: { buffer.values[t.offset + $0] = $1 }, loss: loss)
    }
    return result
}

/// Numeric gradient w.r.t. an array argument.
func numericArrayGradient(_ array: inout [Double], loss: ([Double]) throws -> Double) rethrows -> [Double] {
    var a = array
    let g = try numericGradient(count: a.count, get: { a[$0] }, set: { a[$0] = $1 }, loss: { try loss(a) })
    array = a
    return g
}
