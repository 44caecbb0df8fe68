// Readable reference kernels: plain loops, no SIMD, no threads. Double runs these; the gradient
// checks validate the layer code through them, and the Float SIMD kernels are tested against them.

@inline(__always)
func sigmoid<S: NNScalar>(_ x: S) -> S { 1 / (1 + S.exponential(-x)) }

@inline(__always)
func activate<S: NNScalar>(_ x: S, _ activation: Activation) -> S {
    activation == .tanh ? S.hyperbolicTangent(x) : x
}

/// d act(x)/dx expressed through y = act(x).
@inline(__always)
func activationDerivative<S: NNScalar>(output y: S, _ activation: Activation) -> S {
    activation == .tanh ? 1 - y * y : 1
}

/// C ← initial ⊕ A·B with the obvious triple loop (see `GemmOperation`).
func referenceGemm<S: NNScalar>(_ op: GemmOperation<S>) {
    for i in 0..<op.m {
        for j in 0..<op.n {
            var sum: S
            switch op.initial {
            case .accumulate: sum = op.c[i * op.cRowStride + j]
            case .overwrite: sum = 0
            case .bias(let bias): sum = bias[j]
            }
            for p in 0..<op.k {
                sum += op.a[i * op.aRowStride + p * op.aColumnStride] * op.b[op.bIndex(p, j)]
            }
            op.c[i * op.cRowStride + j] = sum
        }
    }
}

func referenceLSTMForwardPointwise<S: NNScalar>(_ p: LSTMPointwise<S>, rows: Int, hidden H: Int, options: CellOptions) {
    let fixedI = options.fixedGates[.input].map { S($0) }
    let fixedF = options.fixedGates[.forget].map { S($0) }
    let fixedO = options.fixedGates[.output].map { S($0) }
    for r in 0..<rows {
        let g = p.gates + r * 4 * H  // (4H) = [i f g o]
        for j in 0..<H {
            let i = fixedI ?? sigmoid(g[j])
            let f = fixedF ?? sigmoid(g[H + j])
            let cand = activate(g[2 * H + j], options.candidateActivation)
            let o = fixedO ?? sigmoid(g[3 * H + j])
            g[j] = i; g[H + j] = f; g[2 * H + j] = cand; g[3 * H + j] = o
            // c_t = f ⊙ c_{t−1} + i ⊙ g
            let c = f * p.cPrev[r * H + j] + i * cand
            let cellOutput = activate(c, options.cellOutputActivation)
            p.c[r * H + j] = c
            p.cellOutput[r * H + j] = cellOutput
            // h_t = o ⊙ act(c_t)
            p.h[r * H + j] = o * cellOutput
        }
    }
}

func referenceLSTMBackwardPointwise<S: NNScalar>(_ p: LSTMPointwise<S>, dh: UnsafePointer<S>, dc: UnsafeMutablePointer<S>,
                                                 dpre: UnsafeMutablePointer<S>, rows: Int, hidden H: Int,
                                                 options: CellOptions) {
    let learnI = options.fixedGates[.input] == nil ? S(1) : 0
    let learnF = options.fixedGates[.forget] == nil ? S(1) : 0
    let learnO = options.fixedGates[.output] == nil ? S(1) : 0
    for r in 0..<rows {
        let g = p.gates + r * 4 * H
        let d = dpre + r * 4 * H
        for j in 0..<H {
            let k = r * H + j
            let i = g[j], f = g[H + j], cand = g[2 * H + j], o = g[3 * H + j]
            let cellOutput = p.cellOutput[k]
            // h_t = o ⊙ act(c_t)
            let dO = dh[k] * cellOutput
            let dC = dc[k] + dh[k] * o * activationDerivative(output: cellOutput, options.cellOutputActivation)
            // c_t = f ⊙ c_{t−1} + i ⊙ g
            let dI = dC * cand
            let dF = dC * p.cPrev[k]
            let dCand = dC * i
            dc[k] = dC * f
            // i, f, o = σ(pre): σ' = σ(1 − σ); g = act(pre)
            d[j] = learnI * dI * i * (1 - i)
            d[H + j] = learnF * dF * f * (1 - f)
            d[2 * H + j] = dCand * activationDerivative(output: cand, options.candidateActivation)
            d[3 * H + j] = learnO * dO * o * (1 - o)
        }
    }
}
