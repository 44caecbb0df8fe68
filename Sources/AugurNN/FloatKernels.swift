// Float: the fast path. The matrix products, the standard LSTM gate math (rational tanh/σ) and
// Adam run on the C kernels of the operation's `Kernel` (AVX-512, AVX2 or generic; see
// Kernel.swift); fixtures with fixed gates or linear activations use the reference code.

import CAugurKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Float: NNScalar {
    public static func exponential(_ x: Float) -> Float { expf(x) }
    public static func hyperbolicTangent(_ x: Float) -> Float { tanhf(x) }

    public static func gemm(_ op: GemmOperation<Float>) { kernelGemm(op) }

    public static func lstmForwardPointwise(_ p: LSTMPointwise<Float>, rows: Int, hidden: Int, options: CellOptions) {
        if options.isStandard {
            var step = p.kernelStep
            p.kernel.table.lstm_forward(&step, rows, hidden)
        } else {
            referenceLSTMForwardPointwise(p, rows: rows, hidden: hidden, options: options)
        }
    }

    public static func lstmBackwardPointwise(_ p: LSTMPointwise<Float>, dh: UnsafePointer<Float>,
                                             dc: UnsafeMutablePointer<Float>, dpre: UnsafeMutablePointer<Float>,
                                             rows: Int, hidden: Int, options: CellOptions) {
        if options.isStandard {
            var step = p.kernelStep
            p.kernel.table.lstm_backward(&step, dh, dc, dpre, rows, hidden)
        } else {
            referenceLSTMBackwardPointwise(p, dh: dh, dc: dc, dpre: dpre, rows: rows, hidden: hidden, options: options)
        }
    }

    /// The optimizer's loop on the kernel's vectors: the same operations in the same order as the
    /// generic version (no fused multiply-adds), so every kernel gives the generic loop's bits.
    public static func adamUpdate(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                                  firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
                                  count: Int, hyper: AdamStep, kernel: Kernel) {
        var step = augur_adam_step(beta1: Float(hyper.beta1), beta2: Float(hyper.beta2), epsilon: Float(hyper.epsilon),
                                   corrected_rate: Float(hyper.correctedRate),
                                   second_correction: Float(hyper.secondCorrection), keep: Float(1 - hyper.decay))
        kernel.table.adam(p, g, m, v, count, &step)
    }
}

extension LSTMPointwise<Float> {
    var kernelStep: augur_lstm_step {
        augur_lstm_step(gates: gates, c_prev: cPrev, c: c, cell_output: cellOutput, h: h)
    }
}
