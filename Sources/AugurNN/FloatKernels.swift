// Float: the fast path. The matrix products go to the register-blocked SIMD kernel
// (SIMDGemm.swift) and the standard LSTM gate math to the SIMD rational tanh/σ
// (SIMDPointwise.swift); fixtures with fixed gates or linear activations use the reference code.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Float: NNScalar {
    public static func exponential(_ x: Float) -> Float { expf(x) }
    public static func hyperbolicTangent(_ x: Float) -> Float { tanhf(x) }

    public static func gemm(_ op: GemmOperation<Float>) { simdGemm(op) }

    public static func lstmForwardPointwise(_ p: LSTMPointwise<Float>, rows: Int, hidden: Int, options: CellOptions) {
        if options.isStandard && hidden % 8 == 0 {
            simdLSTMForwardPointwise(p, rows: rows, hidden: hidden)
        } else {
            referenceLSTMForwardPointwise(p, rows: rows, hidden: hidden, options: options)
        }
    }

    public static func lstmBackwardPointwise(_ p: LSTMPointwise<Float>, dh: UnsafePointer<Float>,
                                             dc: UnsafeMutablePointer<Float>, dpre: UnsafeMutablePointer<Float>,
                                             rows: Int, hidden: Int, options: CellOptions) {
        if options.isStandard && hidden % 8 == 0 {
            simdLSTMBackwardPointwise(p, dh: dh, dc: dc, dpre: dpre, rows: rows, hidden: hidden)
        } else {
            referenceLSTMBackwardPointwise(p, dh: dh, dc: dc, dpre: dpre, rows: rows, hidden: hidden, options: options)
        }
    }
}
