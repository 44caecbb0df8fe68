// Training arithmetic: losses with their gradients, Adam (bias-corrected, optional decoupled
// weight decay as in AdamW) and global-norm gradient clipping, all over ParameterBuffers.

/// A loss averaged over every element of the prediction.
public enum Loss: Sendable, Equatable {
    /// mean((y − t)²); dL/dy = 2 (y − t) / N.
    case meanSquaredError
    /// mean of 0.5 r² for |r| ≤ δ, δ (|r| − 0.5 δ) beyond (PyTorch's HuberLoss); dL/dy = clamp(r, ±δ) / N.
    case huber(delta: Double)

    /// The mean loss; when `gradient` is given, writes dL/dprediction into it (N values).
    @_specialize(exported: true, where S == Float)
    public func evaluate<S: NNScalar>(prediction: UnsafePointer<S>, target: UnsafePointer<S>, count: Int,
                                      gradient: UnsafeMutablePointer<S>?) -> Double {
        guard count > 0 else { return 0 }
        var total = 0.0
        let n = Double(count)
        switch self {
        case .meanSquaredError:
            let g = S(2 / n)
            for k in 0..<count {
                let r = prediction[k] - target[k]
                total += Double(r * r)
                gradient?[k] = g * r
            }
        case .huber(let delta):
            let d = S(delta), inv = S(1 / n)
            for k in 0..<count {
                let r = prediction[k] - target[k]
                if abs(r) <= d {
                    total += Double(r * r) / 2
                    gradient?[k] = inv * r
                } else {
                    total += delta * (Double(abs(r)) - delta / 2)
                    gradient?[k] = inv * (r > 0 ? d : -d)
                }
            }
        }
        return total / n
    }

    /// Mean loss and its gradient w.r.t. `prediction`.
    public func valueAndGradient<S: NNScalar>(prediction: [S], target: [S]) throws -> (value: Double, gradient: [S]) {
        guard prediction.count == target.count else {
            throw NNError.shapeMismatch(what: "loss target", expected: prediction.count, actual: target.count)
        }
        var gradient = [S](repeating: 0, count: prediction.count)
        let value = prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    evaluate(prediction: p.baseAddress!, target: t.baseAddress!, count: p.count, gradient: g.baseAddress)
                }
            }
        }
        return (value, gradient)
    }
}

/// Scales every gradient so that their global L2 norm is at most `maxNorm` (PyTorch's
/// clip_grad_norm_). Returns the norm before clipping.
@discardableResult
@_specialize(exported: true, where S == Float)
public func clipGlobalNorm<S: NNScalar>(_ buffers: [ParameterBuffer<S>], maxNorm: Double = 1.0) -> Double {
    var sum = 0.0
    for b in buffers { sum += S.sumOfSquares(b.gradients, count: b.count) }
    let norm = sum.squareRoot()
    if norm > maxNorm {
        let factor = S(maxNorm / (norm + 1e-6))
        for b in buffers { S.scale(b.gradients, count: b.count, by: factor) }
    }
    return norm
}

/// Adam with bias correction (Kingma & Ba), optionally with decoupled weight decay (AdamW).
///
/// Defaults match PyTorch: β1 0.9, β2 0.999, ε 1e-8 added to sqrt(v̂).
public final class Adam<Scalar: NNScalar> {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Decoupled weight decay λ: p ← p − lr·λ·p each step (0 = plain Adam).
    public var weightDecay: Double
    /// Steps taken so far (t in the bias corrections).
    public private(set) var stepCount = 0
    /// The Float kernels of the update (Double runs the generic loop).
    public var kernel: Kernel = .processDefault
    private var moments: [ObjectIdentifier: (m: ScratchBuffer<Scalar>, v: ScratchBuffer<Scalar>)] = [:]

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay
    }

    /// Applies one update to every buffer from its gradients.
    @_specialize(exported: true, where Scalar == Float)
    public func step(_ buffers: [ParameterBuffer<Scalar>]) {
        stepCount += 1
        let t = Double(stepCount)
        let hyper = AdamStep(beta1: beta1, beta2: beta2, epsilon: epsilon,
                             correctedRate: learningRate / (1 - pow(beta1, t)),
                             secondCorrection: 1 / (1 - pow(beta2, t)).squareRoot(),
                             decay: learningRate * weightDecay)
        for b in buffers {
            let key = ObjectIdentifier(b)
            let state = moments[key] ?? {
                let s = (m: ScratchBuffer<Scalar>(), v: ScratchBuffer<Scalar>())
                _ = s.m.zeroed(b.count); _ = s.v.zeroed(b.count)
                moments[key] = s
                return s
            }()
            Scalar.adamUpdate(parameters: b.values, gradients: b.gradients, firstMoment: state.m.pointer,
                              secondMoment: state.v.pointer, count: b.count, hyper: hyper, kernel: kernel)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
