// Element-wise math of the GRU and Elman cells, one time step over `rows` contiguous rows.
// Generic and plain: these cells are not on the benchmark's hot path, so Float and Double share them.
// GRU gates are (rows, 3H) = [z r h̃]; hPrev rows are `hPrevStride` apart (they live inside xh).

/// z, r = σ(pre) in place; writes r ⊙ h_{t−1} into rh (rows `rhStride` apart).
func gruGatesForwardPointwise<S: NNScalar>(gates: UnsafeMutablePointer<S>, hPrev: UnsafePointer<S>, hPrevStride: Int,
                                           rh: UnsafeMutablePointer<S>, rhStride: Int, rows: Int, hidden H: Int,
                                           options: CellOptions) {
    let fixedZ = options.fixedGates[.update].map { S($0) }
    let fixedR = options.fixedGates[.reset].map { S($0) }
    for r in 0..<rows {
        let g = gates + r * 3 * H
        for j in 0..<H {
            let z = fixedZ ?? sigmoid(g[j])
            let reset = fixedR ?? sigmoid(g[H + j])
            g[j] = z; g[H + j] = reset
            rh[r * rhStride + j] = reset * hPrev[r * hPrevStride + j]
        }
    }
}

/// h̃ = act(pre) in place; h_t = (1 − z) ⊙ h_{t−1} + z ⊙ h̃ into h (rows, H).
func gruCandidateForwardPointwise<S: NNScalar>(gates: UnsafeMutablePointer<S>, hPrev: UnsafePointer<S>, hPrevStride: Int,
                                               h: UnsafeMutablePointer<S>, rows: Int, hidden H: Int,
                                               options: CellOptions) {
    for r in 0..<rows {
        let g = gates + r * 3 * H
        for j in 0..<H {
            let cand = activate(g[2 * H + j], options.candidateActivation)
            g[2 * H + j] = cand
            let z = g[j]
            h[r * H + j] = (1 - z) * hPrev[r * hPrevStride + j] + z * cand
        }
    }
}

/// From dh (rows, H): writes dpre for z and h̃ (columns 0 and 2H of the (rows, 3H) dpre) and
/// overwrites dhPrev (rows, H) with the direct path dh ⊙ (1 − z).
func gruOutputBackwardPointwise<S: NNScalar>(gates: UnsafePointer<S>, hPrev: UnsafePointer<S>, hPrevStride: Int,
                                             dh: UnsafePointer<S>, dhPrev: UnsafeMutablePointer<S>,
                                             dpre: UnsafeMutablePointer<S>, rows: Int, hidden H: Int,
                                             options: CellOptions) {
    let learnZ = options.fixedGates[.update] == nil ? S(1) : 0
    for r in 0..<rows {
        let g = gates + r * 3 * H
        let d = dpre + r * 3 * H
        for j in 0..<H {
            let k = r * H + j
            let z = g[j], cand = g[2 * H + j], hp = hPrev[r * hPrevStride + j]
            // h_t = (1 − z) ⊙ h_{t−1} + z ⊙ h̃
            let dz = dh[k] * (cand - hp)
            let dCand = dh[k] * z
            dhPrev[k] = dh[k] * (1 - z)
            // z = σ(pre_z); h̃ = act(pre_h)
            d[j] = learnZ * dz * z * (1 - z)
            d[2 * H + j] = dCand * activationDerivative(output: cand, options.candidateActivation)
        }
    }
}

/// From d(r ⊙ h_{t−1}) (rows `drhStride` apart): writes dpre for r (column H of dpre) and adds
/// the reset path to dhPrev.
func gruResetBackwardPointwise<S: NNScalar>(gates: UnsafePointer<S>, hPrev: UnsafePointer<S>, hPrevStride: Int,
                                            drh: UnsafePointer<S>, drhStride: Int, dhPrev: UnsafeMutablePointer<S>,
                                            dpre: UnsafeMutablePointer<S>, rows: Int, hidden H: Int,
                                            options: CellOptions) {
    let learnR = options.fixedGates[.reset] == nil ? S(1) : 0
    for r in 0..<rows {
        let g = gates + r * 3 * H
        let d = dpre + r * 3 * H
        for j in 0..<H {
            let reset = g[H + j], hp = hPrev[r * hPrevStride + j], drhj = drh[r * drhStride + j]
            // rh = r ⊙ h_{t−1}
            dhPrev[r * H + j] += drhj * reset
            let dr = drhj * hp
            d[H + j] = learnR * dr * reset * (1 - reset)
        }
    }
}

/// Elman cell: h = act(pre), pre (rows, H) → h (rows, H).
func rnnForwardPointwise<S: NNScalar>(pre: UnsafePointer<S>, h: UnsafeMutablePointer<S>, count: Int,
                                      activation: Activation) {
    for k in 0..<count { h[k] = activate(pre[k], activation) }
}

/// Elman cell backward: dpre = dh ⊙ act'(pre), expressed through h.
func rnnBackwardPointwise<S: NNScalar>(h: UnsafePointer<S>, dh: UnsafePointer<S>, dpre: UnsafeMutablePointer<S>,
                                       count: Int, activation: Activation) {
    for k in 0..<count { dpre[k] = dh[k] * activationDerivative(output: h[k], activation) }
}
