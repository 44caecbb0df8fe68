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

// The optimizer's loop in eight lanes: the same operations in the same order as the generic
// version (no fused multiply-adds), so the two give the same bits; eight square roots and
// divisions per instruction instead of one.
extension Float {
    public static func adamUpdate(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                                  firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
                                  count: Int, hyper: AdamStep) {
        let b1 = Float(hyper.beta1), b2 = Float(hyper.beta2), eps = Float(hyper.epsilon)
        let rate = Float(hyper.correctedRate), c2 = Float(hyper.secondCorrection), keep = Float(1 - hyper.decay)
        let b1v = SIMD8<Float>(repeating: b1), b2v = SIMD8<Float>(repeating: b2)
        let ob1 = SIMD8<Float>(repeating: 1 - b1), ob2 = SIMD8<Float>(repeating: 1 - b2)
        let epsv = SIMD8<Float>(repeating: eps), ratev = SIMD8<Float>(repeating: rate)
        let c2v = SIMD8<Float>(repeating: c2), keepv = SIMD8<Float>(repeating: keep)
        let raw = (p: UnsafeMutableRawPointer(p), g: UnsafeRawPointer(g), m: UnsafeMutableRawPointer(m),
                   v: UnsafeMutableRawPointer(v))
        var k = 0
        while k + 8 <= count {
            let o = k * MemoryLayout<Float>.stride
            let gk = raw.g.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let mk = b1v * raw.m.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + ob1 * gk
            let vk = b2v * raw.v.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + ob2 * gk * gk
            let pk = raw.p.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            raw.m.storeBytes(of: mk, toByteOffset: o, as: SIMD8<Float>.self)
            raw.v.storeBytes(of: vk, toByteOffset: o, as: SIMD8<Float>.self)
            raw.p.storeBytes(of: pk * keepv - ratev * mk / (vk.squareRoot() * c2v + epsv), toByteOffset: o,
                             as: SIMD8<Float>.self)
            k += 8
        }
        while k < count {
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
            p[k] = p[k] * keep - rate * m[k] / ((v[k]).squareRoot() * c2 + eps)
            k += 1
        }
    }
}
