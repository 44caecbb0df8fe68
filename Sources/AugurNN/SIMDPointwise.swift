// SIMD element-wise math for the Float fast path: a rational tanh (Eigen's 13/6 minimax
// approximation, |error| ≲ 1e-7 over the clamp range), σ(x) = ½ + ½ tanh(x/2), and the
// standard LSTM gate forward/backward for H a multiple of 8 (others use the reference loops).

typealias Float8 = SIMD8<Float>

@inline(__always) private func load8(_ p: UnsafePointer<Float>) -> Float8 {
    UnsafeRawPointer(p).loadUnaligned(as: Float8.self)
}

@inline(__always) private func store8(_ v: Float8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float8.self)
}

/// The rational tanh approximation split in numerator and denominator: tanh(x) ≈ p / q, with
/// q in [0.0049, 1] over the clamp range (so products of several q stay well inside Float range).
@inline(__always) func tanhRational(_ v: Float8) -> (p: Float8, q: Float8) {
    // Clamp with compare-and-blend (the stdlib's clamped/pointwiseMin are not inlined).
    let limit = Float8(repeating: 7.90531110763549805)
    var x = v
    x.replace(with: limit, where: x .> limit)
    x.replace(with: -limit, where: x .< -limit)
    let x2 = x * x
    // Horner: p = x · (α1 + x²(α3 + x²(… α13))), q = β0 + x²(β2 + x²(β4 + x² β6))
    var p = Float8(repeating: 2.00018790482477e-13).addingProduct(x2, Float8(repeating: -2.76076847742355e-16))
    p = Float8(repeating: -8.60467152213735e-11).addingProduct(x2, p)
    p = Float8(repeating: 5.12229709037114e-08).addingProduct(x2, p)
    p = Float8(repeating: 1.48572235717979e-05).addingProduct(x2, p)
    p = Float8(repeating: 6.37261928875436e-04).addingProduct(x2, p)
    p = Float8(repeating: 4.89352455891786e-03).addingProduct(x2, p)
    p = p * x
    var q = Float8(repeating: 1.18534705686654e-04).addingProduct(x2, Float8(repeating: 1.19825839466702e-06))
    q = Float8(repeating: 2.26843463243900e-03).addingProduct(x2, q)
    q = Float8(repeating: 4.89352518554385e-03).addingProduct(x2, q)
    return (p, q)
}

/// tanh(x) for 8 lanes; beyond ±7.9053 the approximation is clamped (tanh is 1 to Float precision).
@inline(__always) func fastTanh(_ v: Float8) -> Float8 {
    let (p, q) = tanhRational(v)
    return p / q
}

/// σ(x) = ½ + ½ tanh(x / 2) for 8 lanes.
@inline(__always) func fastSigmoid(_ x: Float8) -> Float8 {
    let half = Float8(repeating: 0.5)
    return half.addingProduct(half, fastTanh(half * x))
}

/// σ(a), σ(b), tanh(c), σ(d) with one division instead of four: with r = 1 / (q_a q_b q_c q_d),
/// 1/q_a = r q_b q_c q_d and so on (a few extra roundings, ~1e-7 relative).
@inline(__always) func fastGates(_ a: Float8, _ b: Float8, _ c: Float8, _ d: Float8)
    -> (Float8, Float8, Float8, Float8) {
    let half = Float8(repeating: 0.5)
    let (pa, qa) = tanhRational(half * a)
    let (pb, qb) = tanhRational(half * b)
    let (pc, qc) = tanhRational(c)
    let (pd, qd) = tanhRational(half * d)
    let qab = qa * qb, qcd = qc * qd
    let r = 1 / (qab * qcd)
    let rab = r * qcd, rcd = r * qab  // 1/(qa qb), 1/(qc qd)
    let ta = pa * (rab * qb), tb = pb * (rab * qa)
    let tc = pc * (rcd * qd), td = pd * (rcd * qc)
    return (half.addingProduct(half, ta), half.addingProduct(half, tb), tc, half.addingProduct(half, td))
}

/// Standard LSTM forward for one step (H % 8 == 0); see `referenceLSTMForwardPointwise`.
func simdLSTMForwardPointwise(_ p: LSTMPointwise<Float>, rows: Int, hidden H: Int) {
    for r in 0..<rows {
        let g = p.gates + r * 4 * H
        let row = r * H
        var j = 0
        while j < H {
            let (i, f, cand, o) = fastGates(load8(g + j), load8(g + H + j), load8(g + 2 * H + j),
                                            load8(g + 3 * H + j))
            store8(i, g + j); store8(f, g + H + j); store8(cand, g + 2 * H + j); store8(o, g + 3 * H + j)
            // c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
            let c = (f * load8(p.cPrev + row + j)).addingProduct(i, cand)
            let tc = fastTanh(c)
            store8(c, p.c + row + j)
            store8(tc, p.cellOutput + row + j)
            store8(o * tc, p.h + row + j)
            j += 8
        }
    }
}

/// Standard LSTM backward for one step (H % 8 == 0); see `referenceLSTMBackwardPointwise`.
func simdLSTMBackwardPointwise(_ p: LSTMPointwise<Float>, dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
                               dpre: UnsafeMutablePointer<Float>, rows: Int, hidden H: Int) {
    let one = Float8(repeating: 1)
    for r in 0..<rows {
        let g = p.gates + r * 4 * H
        let d = dpre + r * 4 * H
        let row = r * H
        var j = 0
        while j < H {
            let i = load8(g + j), f = load8(g + H + j), cand = load8(g + 2 * H + j), o = load8(g + 3 * H + j)
            let tc = load8(p.cellOutput + row + j)
            let dhv = load8(dh + row + j)
            // h_t = o ⊙ tanh(c_t)
            let dO = dhv * tc
            let dC = load8(dc + row + j).addingProduct(dhv * o, one - tc * tc)
            // c_t = f ⊙ c_{t−1} + i ⊙ g
            store8(dC * f, dc + row + j)
            let dI = dC * cand, dF = dC * load8(p.cPrev + row + j), dG = dC * i
            // σ' = σ(1 − σ), tanh' = 1 − tanh²
            store8(dI * i * (one - i), d + j)
            store8(dF * f * (one - f), d + H + j)
            store8(dG * (one - cand * cand), d + 2 * H + j)
            store8(dO * o * (one - o), d + 3 * H + j)
            j += 8
        }
    }
}
