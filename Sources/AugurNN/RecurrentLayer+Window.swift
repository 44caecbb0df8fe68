// The time loops of RecurrentLayer for one chunk of streams (rows r0..<r1 of every (B, ·) block).
// Chunks touch disjoint rows, so several run concurrently. Every (L, B, ·) buffer is time-major:
// step t, row b of a buffer of width W is at (t·B + b)·W. The cached rows [x | h | 1] have width
// K1 = K + 1: the trailing 1 meets the bias row of the parameter block [W; b] (K1, G), so one
// product gives pre = [x | h]·W + b and one product gives [dW; db].

extension RecurrentLayer {
    /// Forward for rows `rows`: x (L, B, I), h0 (B, H); c_0 already in cells[0].
    func forwardRows(_ rows: Range<Int>, x: UnsafePointer<Scalar>, h0: UnsafePointer<Scalar>) {
        let L = steps, B = batch, I = inputSize, H = hiddenSize, G = gateWidth, K = fusedWidth, K1 = K + 1
        let r0 = rows.lowerBound, n = rows.count
        let w = UnsafePointer(weightsPadded.pointer)   // [W; b] (K1, G): see padWeights
        let P = paddedStride
        for t in 0..<L {
            let xhT = xh.pointer + (t * B + r0) * K1                   // (n, K1)
            let xT = x + (t * B + r0) * I                              // (n, I)
            let hPrev = t == 0 ? h0 + r0 * H : UnsafePointer(output.pointer + ((t - 1) * B + r0) * H)  // (n, H)
            for r in 0..<n {
                (xhT + r * K1).update(from: xT + r * I, count: I)
                (xhT + r * K1 + I).update(from: hPrev + r * H, count: H)
                xhT[r * K1 + K] = 1
            }
            let gT = gates.pointer + (t * B + r0) * G                  // (n, G)
            let yT = output.pointer + (t * B + r0) * H                 // (n, H)
            switch kind {
            case .lstm:
                // pre = [x | h]·W + b;  [i f g o] = σ, σ, tanh, σ;  c = f⊙c + i⊙g;  h = o⊙tanh(c)
                var op = GemmOperation(m: n, n: G, k: K1, a: xhT, aRowStride: K1, aColumnStride: 1,
                                       b: w, bRowStride: P, c: gT, cRowStride: G, initial: .overwrite, kernel: kernel)
                forwardWeights(&op)
                Scalar.gemm(op)
                let p = LSTMPointwise(gates: gT, cPrev: cells.pointer + (t * B + r0) * H,
                                      c: cells.pointer + ((t + 1) * B + r0) * H,
                                      cellOutput: cellOutput.pointer + (t * B + r0) * H, h: yT, kernel: kernel)
                Scalar.lstmForwardPointwise(p, rows: n, hidden: H, options: options)
            case .gru:
                // [z r] = σ([x | h]·W_zr + b_zr)
                Scalar.gemm(GemmOperation(m: n, n: 2 * H, k: K1, a: xhT, aRowStride: K1, aColumnStride: 1,
                                          b: w, bRowStride: P, c: gT, cRowStride: G, initial: .overwrite, kernel: kernel))
                let xrhT = xrh.pointer + (t * B + r0) * K1             // (n, K1) [x | r ⊙ h | 1]
                for r in 0..<n {
                    (xrhT + r * K1).update(from: xT + r * I, count: I)
                    xrhT[r * K1 + K] = 1
                }
                gruGatesForwardPointwise(gates: gT, hPrev: xhT + I, hPrevStride: K1, rh: xrhT + I, rhStride: K1,
                                         rows: n, hidden: H, options: options)
                // h̃ = tanh([x | r ⊙ h]·W_h + b_h);  h = (1 − z)⊙h + z⊙h̃
                Scalar.gemm(GemmOperation(m: n, n: H, k: K1, a: xrhT, aRowStride: K1, aColumnStride: 1,
                                          b: w + 2 * H, bRowStride: P, c: gT + 2 * H, cRowStride: G,
                                          initial: .overwrite, kernel: kernel))
                gruCandidateForwardPointwise(gates: gT, hPrev: xhT + I, hPrevStride: K1, h: yT, rows: n, hidden: H,
                                             options: options)
            case .rnn:
                // h = tanh([x | h]·W + b)
                var op = GemmOperation(m: n, n: H, k: K1, a: xhT, aRowStride: K1, aColumnStride: 1,
                                       b: w, bRowStride: P, c: gT, cRowStride: G, initial: .overwrite, kernel: kernel)
                forwardWeights(&op)
                Scalar.gemm(op)
                rnnForwardPointwise(pre: gT, h: yT, count: n * H, activation: options.candidateActivation)
            }
        }
    }

    /// Backward for rows `rows`. dy (L, B, H); dhFinal, dcFinal (B, H) or nil (zero).
    /// Writes dpre (L, B, G), dx (L, B, I) if asked, and leaves dh_0, dc_0 in dhCarry, dcCarry.
    func backwardRows(_ rows: Range<Int>, dy: UnsafePointer<Scalar>, dhFinal: UnsafePointer<Scalar>?,
                      dcFinal: UnsafePointer<Scalar>?, needInputGradient: Bool) {
        let L = steps, B = batch, I = inputSize, H = hiddenSize, G = gateWidth, K = fusedWidth, K1 = K + 1
        let r0 = rows.lowerBound, n = rows.count
        let wt = UnsafePointer(weightsTransposed.pointer)  // Wᵀ (G, K)
        let dhNext = dhCarry.pointer + r0 * H               // (n, H)
        let dh = dhTotal.pointer + r0 * H                   // (n, H)
        if let dhFinal { dhNext.update(from: dhFinal + r0 * H, count: n * H) } else { dhNext.update(repeating: 0, count: n * H) }
        if kind.hasCellState {
            let dcNext = dcCarry.pointer + r0 * H
            if let dcFinal { dcNext.update(from: dcFinal + r0 * H, count: n * H) } else { dcNext.update(repeating: 0, count: n * H) }
        }
        for t in stride(from: L - 1, through: 0, by: -1) {
            // y_t feeds both the loss (dy) and step t+1 (dhNext)
            let dyT = dy + (t * B + r0) * H
            Scalar.add(dyT, dhNext, into: dh, count: n * H)
            let gT = gates.pointer + (t * B + r0) * G       // (n, G)
            let dpreT = dpre.pointer + (t * B + r0) * G     // (n, G)
            let xhT = xh.pointer + (t * B + r0) * K1        // (n, K1)
            let dxT = inputGradient.pointer + (t * B + r0) * I  // (n, I)
            switch kind {
            case .lstm, .rnn:
                if kind == .lstm {
                    let p = LSTMPointwise(gates: gT, cPrev: cells.pointer + (t * B + r0) * H,
                                          c: cells.pointer + ((t + 1) * B + r0) * H,
                                          cellOutput: cellOutput.pointer + (t * B + r0) * H,
                                          h: output.pointer + (t * B + r0) * H, kernel: kernel)
                    Scalar.lstmBackwardPointwise(p, dh: dh, dc: dcCarry.pointer + r0 * H, dpre: dpreT, rows: n,
                                                 hidden: H, options: options)
                } else {
                    rnnBackwardPointwise(h: output.pointer + (t * B + r0) * H, dh: dh, dpre: dpreT, count: n * H,
                                         activation: options.candidateActivation)
                }
                // pre = [x | h]·W + b  ⇒  d[x | h] = dpre · Wᵀ
                var op = GemmOperation(m: n, n: H, k: G, a: dpreT, aRowStride: G, aColumnStride: 1,
                                       b: wt + I, bRowStride: K, c: dhNext, cRowStride: H, initial: .overwrite, kernel: kernel)
                recurrentTransposedOperand(&op)
                Scalar.gemm(op)
                if needInputGradient {
                    Scalar.gemm(GemmOperation(m: n, n: I, k: G, a: dpreT, aRowStride: G, aColumnStride: 1,
                                              b: wt, bRowStride: K, c: dxT, cRowStride: I, initial: .overwrite, kernel: kernel))
                }
            case .gru:
                // h = (1 − z)⊙h_prev + z⊙h̃: dpre for z and h̃, dhNext = dh⊙(1 − z)
                gruOutputBackwardPointwise(gates: gT, hPrev: xhT + I, hPrevStride: K1, dh: dh, dhPrev: dhNext,
                                           dpre: dpreT, rows: n, hidden: H, options: options)
                // pre_h = [x | r⊙h]·W_h + b_h  ⇒  d[x | r⊙h] = dpre_h · W_hᵀ
                let dxrhT = dxrh.pointer + r0 * K           // (n, K)
                Scalar.gemm(GemmOperation(m: n, n: K, k: H, a: dpreT + 2 * H, aRowStride: G, aColumnStride: 1,
                                          b: wt + 2 * H * K, bRowStride: K, c: dxrhT, cRowStride: K,
                                          initial: .overwrite, kernel: kernel))
                // rh = r⊙h_prev: dpre for r, dhNext += d(rh)⊙r
                gruResetBackwardPointwise(gates: gT, hPrev: xhT + I, hPrevStride: K1, drh: dxrhT + I, drhStride: K,
                                          dhPrev: dhNext, dpre: dpreT, rows: n, hidden: H, options: options)
                // pre_zr = [x | h]·W_zr + b_zr  ⇒  d[x | h] += dpre_zr · W_zrᵀ
                Scalar.gemm(GemmOperation(m: n, n: H, k: 2 * H, a: dpreT, aRowStride: G, aColumnStride: 1,
                                          b: wt + I, bRowStride: K, c: dhNext, cRowStride: H, initial: .accumulate, kernel: kernel))
                if needInputGradient {
                    for r in 0..<n { (dxT + r * I).update(from: dxrhT + r * K, count: I) }
                    Scalar.gemm(GemmOperation(m: n, n: I, k: 2 * H, a: dpreT, aRowStride: G, aColumnStride: 1,
                                              b: wt, bRowStride: K, c: dxT, cRowStride: I, initial: .accumulate, kernel: kernel))
                }
            }
        }
    }
}
