// The scalar types the layers run on, and the kernels that make the difference between them.
// The layer code (RecurrentLayer, DenseLayer, SequenceModel) is written once, generic over
// NNScalar; it only orchestrates. All per-element work goes through the kernels below, so the
// generic code is cheap even when not specialised: Double runs the readable reference kernels
// (used by the gradient checks), Float runs the C kernels of its `Kernel` (see FloatKernels.swift).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a `GemmOperation` treats the existing contents of C.
public enum GemmInitial<Scalar> {
    /// C += A·B (backward accumulation).
    case accumulate
    /// C = A·B.
    case overwrite
    /// C = bias + A·B, with bias a row of N values broadcast over the M rows.
    case bias(UnsafePointer<Scalar>)
}

/// C (M×N, row stride `cRowStride`) ← initial ⊕ A (M×K) · B (K×N, row stride `bRowStride`).
///
/// A's element (i, p) is at `a[i * aRowStride + p * aColumnStride]`, so the same operation
/// covers A (row-major: strides K, 1) and Aᵀ (strides 1, K) without copies; C is row-major
/// with unit column stride. B is row-major, or, when `bPanelStride` > 0, stored in panels of 16
/// columns (see `bIndex`): each panel's rows are contiguous, so a kernel streams them in order.
public struct GemmOperation<Scalar> {
    public var m: Int, n: Int, k: Int
    public var a: UnsafePointer<Scalar>, aRowStride: Int, aColumnStride: Int
    public var b: UnsafePointer<Scalar>, bRowStride: Int
    public var c: UnsafeMutablePointer<Scalar>, cRowStride: Int
    public var initial: GemmInitial<Scalar>
    /// Upper bound on worker threads; kernels use fewer when the product is small.
    public var threads: Int
    /// The Float kernels that run it (Double ignores this: it runs the reference loops).
    public var kernel: Kernel
    /// 0: B's element (p, j) is at `b[p * bRowStride + j]`. Otherwise B is panel-packed: columns
    /// 16q..<16q+16 form panel q at `b + q * bPanelStride`, and (p, j) is at
    /// `b[(j / 16) * bPanelStride + p * bRowStride + j % 16]` (bRowStride 16; a short last panel
    /// is padded). Column offsets into a panel-packed B must be multiples of 16.
    public var bPanelStride: Int = 0

    /// Offset of B's element (p, j) from `b`.
    @inline(__always)
    public func bIndex(_ p: Int, _ j: Int) -> Int {
        bPanelStride == 0 ? p * bRowStride + j : (j >> 4) * bPanelStride + p * bRowStride + (j & 15)
    }

    public init(m: Int, n: Int, k: Int,
                a: UnsafePointer<Scalar>, aRowStride: Int, aColumnStride: Int,
                b: UnsafePointer<Scalar>, bRowStride: Int,
                c: UnsafeMutablePointer<Scalar>, cRowStride: Int,
                initial: GemmInitial<Scalar>, threads: Int = 1, kernel: Kernel = .processDefault) {
        self.m = m; self.n = n; self.k = k
        self.a = a; self.aRowStride = aRowStride; self.aColumnStride = aColumnStride
        self.b = b; self.bRowStride = bRowStride
        self.c = c; self.cRowStride = cRowStride
        self.initial = initial; self.threads = threads; self.kernel = kernel
    }
}

/// Copies the rows × columns matrix whose element (r, c) is at `source[r * rowStride + c * columnStride]`
/// into the panel layout of `GemmOperation.bPanelStride`: panel q (columns 16q..<16q+16) at
/// `out + q * rows * 16`, its row r at `+ r * 16`; the last panel's missing columns are zeros.
/// `out` holds ⌈columns / 16⌉ · rows · 16 values.
func packPanels<S: NNScalar>(_ source: UnsafePointer<S>, rows: Int, columns: Int, rowStride: Int, columnStride: Int,
                             into out: UnsafeMutablePointer<S>) {
    for q in 0..<((columns + 15) / 16) {
        let j0 = q * 16, width = min(16, columns - j0)
        for r in 0..<rows {
            let row = out + (q * rows + r) * 16
            let from = source + r * rowStride + j0 * columnStride
            if columnStride == 1 {
                row.update(from: from, count: width)
            } else {
                for j in 0..<width { row[j] = from[j * columnStride] }
            }
            if width < 16 { (row + width).update(repeating: 0, count: 16 - width) }
        }
    }
}

/// Pointers for one time step of the LSTM element-wise math over `rows` rows.
/// gates is (rows, 4H), the others (rows, H); all rows contiguous.
public struct LSTMPointwise<Scalar> {
    /// In forward: pre-activations in, activated gates [i f g o] out. In backward: activated gates.
    public var gates: UnsafeMutablePointer<Scalar>
    /// c_{t−1}.
    public var cPrev: UnsafePointer<Scalar>
    /// c_t (forward output).
    public var c: UnsafeMutablePointer<Scalar>
    /// act(c_t), cached for backward.
    public var cellOutput: UnsafeMutablePointer<Scalar>
    /// h_t (forward output).
    public var h: UnsafeMutablePointer<Scalar>
    /// The Float kernels that run it (Double ignores this).
    public var kernel: Kernel

    public init(gates: UnsafeMutablePointer<Scalar>, cPrev: UnsafePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
                cellOutput: UnsafeMutablePointer<Scalar>, h: UnsafeMutablePointer<Scalar>,
                kernel: Kernel = .processDefault) {
        self.gates = gates; self.cPrev = cPrev; self.c = c; self.cellOutput = cellOutput; self.h = h
        self.kernel = kernel
    }
}

/// A floating-point type the networks run on, with the kernels specialised for it.
public protocol NNScalar: BinaryFloatingPoint, Sendable {
    /// e^x.
    static func exponential(_ x: Self) -> Self
    /// tanh(x), correctly rounded or close to it (used by the reference kernels).
    static func hyperbolicTangent(_ x: Self) -> Self
    /// Matrix product, see `GemmOperation`.
    static func gemm(_ op: GemmOperation<Self>)
    /// LSTM element-wise forward for one step: activates gates in place, writes c, act(c), h.
    static func lstmForwardPointwise(_ p: LSTMPointwise<Self>, rows: Int, hidden: Int, options: CellOptions)
    /// LSTM element-wise backward for one step.
    /// dh (rows, H): total gradient w.r.t. h_t. dc (rows, H): in, gradient w.r.t. c_t from step t+1;
    /// out, gradient w.r.t. c_{t−1}. dpre (rows, 4H): out, gradient w.r.t. the gate pre-activations.
    static func lstmBackwardPointwise(_ p: LSTMPointwise<Self>, dh: UnsafePointer<Self>, dc: UnsafeMutablePointer<Self>,
                                      dpre: UnsafeMutablePointer<Self>, rows: Int, hidden: Int, options: CellOptions)

    // Vector helpers with default implementations (requirements so that each conforming type
    // gets code specialised for it, even when the generic caller is not specialised).

    /// out[k] = a[k] + b[k] for k < count.
    static func add(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>, count: Int)
    /// out[k] = a[k] · b[k] for k < count.
    static func multiply(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>,
                         count: Int)
    /// Σ x[k]², accumulated in Double.
    static func sumOfSquares(_ x: UnsafePointer<Self>, count: Int) -> Double
    /// x[k] *= factor.
    static func scale(_ x: UnsafeMutablePointer<Self>, count: Int, by factor: Self)
    /// One Adam update of `count` parameters in place (see `Adam`), on `kernel` for Float.
    static func adamUpdate(parameters: UnsafeMutablePointer<Self>, gradients: UnsafePointer<Self>,
                           firstMoment: UnsafeMutablePointer<Self>, secondMoment: UnsafeMutablePointer<Self>,
                           count: Int, hyper: AdamStep, kernel: Kernel)
}

/// The scalars of one Adam step, bias corrections included.
public struct AdamStep: Sendable {
    public var beta1: Double, beta2: Double, epsilon: Double
    /// lr / (1 − β1^t).
    public var correctedRate: Double
    /// 1 / sqrt(1 − β2^t).
    public var secondCorrection: Double
    /// lr · weightDecay (decoupled: p −= lr · λ · p before the Adam step).
    public var decay: Double
}

extension NNScalar {
    public static func add(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>,
                           count: Int) {
        for k in 0..<count { out[k] = a[k] + b[k] }
    }

    public static func multiply(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>,
                                count: Int) {
        for k in 0..<count { out[k] = a[k] * b[k] }
    }

    public static func sumOfSquares(_ x: UnsafePointer<Self>, count: Int) -> Double {
        var s: Self = 0, total = 0.0
        for k in 0..<count {
            s += x[k] * x[k]
            if k & 1023 == 1023 { total += Double(s); s = 0 }  // keep Float partial sums short
        }
        return total + Double(s)
    }

    public static func scale(_ x: UnsafeMutablePointer<Self>, count: Int, by factor: Self) {
        for k in 0..<count { x[k] *= factor }
    }

    public static func adamUpdate(parameters p: UnsafeMutablePointer<Self>, gradients g: UnsafePointer<Self>,
                                  firstMoment m: UnsafeMutablePointer<Self>, secondMoment v: UnsafeMutablePointer<Self>,
                                  count: Int, hyper: AdamStep, kernel: Kernel) {
        let b1 = Self(hyper.beta1), b2 = Self(hyper.beta2), eps = Self(hyper.epsilon)
        let rate = Self(hyper.correctedRate), c2 = Self(hyper.secondCorrection), keep = Self(1 - hyper.decay)
        for k in 0..<count {
            // m = β1 m + (1 − β1) g;  v = β2 v + (1 − β2) g²
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
            // p ← p (1 − lr λ) − lr m̂ / (sqrt(v̂) + ε), m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)
            p[k] = p[k] * keep - rate * m[k] / ((v[k]).squareRoot() * c2 + eps)
        }
    }
}

extension Double: NNScalar {
    public static func exponential(_ x: Double) -> Double { exp(x) }
    public static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
    public static func gemm(_ op: GemmOperation<Double>) { referenceGemm(op) }
    public static func lstmForwardPointwise(_ p: LSTMPointwise<Double>, rows: Int, hidden: Int, options: CellOptions) {
        referenceLSTMForwardPointwise(p, rows: rows, hidden: hidden, options: options)
    }
    public static func lstmBackwardPointwise(_ p: LSTMPointwise<Double>, dh: UnsafePointer<Double>,
                                             dc: UnsafeMutablePointer<Double>, dpre: UnsafeMutablePointer<Double>,
                                             rows: Int, hidden: Int, options: CellOptions) {
        referenceLSTMBackwardPointwise(p, dh: dh, dc: dc, dpre: dpre, rows: rows, hidden: hidden, options: options)
    }
}
