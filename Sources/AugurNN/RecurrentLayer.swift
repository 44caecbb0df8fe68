// One recurrent layer (LSTM, GRU or Elman RNN) run over a window of L steps for B streams:
// forward from a given initial state, backward through the whole window (BPTT) to every
// parameter and to the initial state. Truncation is the caller's choice: it decides which
// state it passes in and whether it keeps gradients flowing across windows.
//
// Parameters (one ParameterBuffer): "kernel" (I, G), "recurrent_kernel" (H, G), "bias" (G),
// adjacent so that the block is [W; b] (K + 1, G), the fused W (K, G) of pre = [x | h]·W + b
// followed by the bias row (the cached [x | h | 1] rows multiply it in one product).
// Gate column order: LSTM [i f g o], GRU [z r h̃], RNN [h].

/// A recurrent layer; see `CellKind` for the equations.
///
/// ```swift
/// let layer = try RecurrentLayer<Float>(kind: .lstm, inputSize: 1, hiddenSize: 32, seed: 7)
/// let (y, last) = try layer.forward(x, steps: 32, batch: 64, initialState: nil)  // x (L, B, I)
/// layer.parameters.zeroGradients()
/// let (dx, dInitial) = try layer.backward(dy: dy, dFinalState: nil)             // dy (L, B, H)
/// ```
public final class RecurrentLayer<Scalar: NNScalar> {
    public let kind: CellKind
    /// I.
    public let inputSize: Int
    /// H.
    public let hiddenSize: Int
    public let options: CellOptions
    public let parameters: ParameterBuffer<Scalar>
    /// Upper bound on threads used by forward/backward (chunks of streams, large products).
    public var threads: Int = 1
    /// The Float kernels of its products and gate math.
    public var kernel: Kernel = .processDefault

    /// G = gateCount · H.
    var gateWidth: Int { kind.gateCount * hiddenSize }
    /// K = I + H.
    var fusedWidth: Int { inputSize + hiddenSize }

    // Window cache (shapes for the last forward's L and B).
    private(set) var steps = 0
    private(set) var batch = 0
    let xh = ScratchBuffer<Scalar>()          // (L, B, K + 1) [x_t | h_{t−1} | 1]
    let xrh = ScratchBuffer<Scalar>()         // GRU: (L, B, K + 1) [x_t | r ⊙ h_{t−1} | 1]
    let gates = ScratchBuffer<Scalar>()       // (L, B, G) activated gates
    let cells = ScratchBuffer<Scalar>()       // LSTM: (L+1, B, H), c[0] = c_0
    let cellOutput = ScratchBuffer<Scalar>()  // LSTM: (L, B, H) act(c_t)
    let output = ScratchBuffer<Scalar>()      // (L, B, H) h_t, the layer's y
    let dpre = ScratchBuffer<Scalar>()        // (L, B, G) gradient w.r.t. gate pre-activations
    let inputGradient = ScratchBuffer<Scalar>()  // (L, B, I) dx
    let dhCarry = ScratchBuffer<Scalar>()     // (B, H) dL/dh_{t} flowing back in time; at the end dh_0
    let dcCarry = ScratchBuffer<Scalar>()     // LSTM: (B, H) dL/dc_t flowing back; at the end dc_0
    let dhTotal = ScratchBuffer<Scalar>()     // (B, H) dy_t + dhCarry
    let dxrh = ScratchBuffer<Scalar>()        // GRU: (B, K) gradient w.r.t. [x | r ⊙ h]
    let weightsTransposed = ScratchBuffer<Scalar>()  // (G, K) Wᵀ for the backward products
    let weightsPadded = ScratchBuffer<Scalar>()      // copy of [W; b] (K + 1, G) for the forward products
    let recurrentTransposedPanels = ScratchBuffer<Scalar>()  // LSTM, RNN: W_hᵀ (G, H) in 16-column panels

    /// A layer with Keras initialisation: Glorot-uniform kernel, orthogonal recurrent kernel,
    /// zero bias except the LSTM forget-gate bias, 1.
    public init(kind: CellKind, inputSize: Int, hiddenSize: Int, options: CellOptions = .standard,
                seed: UInt64) throws {
        guard inputSize > 0 else { throw NNError.invalidConfiguration("input size must be ≥ 1, got \(inputSize)") }
        guard hiddenSize > 0 else { throw NNError.invalidConfiguration("hidden size must be ≥ 1, got \(hiddenSize)") }
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.options = options
        let G = kind.gateCount * hiddenSize
        parameters = ParameterBuffer(shapes: [("kernel", [inputSize, G]), ("recurrent_kernel", [hiddenSize, G]),
                                              ("bias", [G])])
        var generator = SeededGenerator(seed: seed)
        let kernel = Initialisation.glorotUniform(fanIn: inputSize, fanOut: G, generator: &generator)
        let recurrent = Initialisation.orthogonal(rows: hiddenSize, columns: G, generator: &generator)
        var bias = [Double](repeating: 0, count: G)
        if kind == .lstm { for j in hiddenSize..<(2 * hiddenSize) { bias[j] = 1 } }
        try parameters.setTensorValues("kernel", kernel.map { Scalar($0) })
        try parameters.setTensorValues("recurrent_kernel", recurrent.map { Scalar($0) })
        try parameters.setTensorValues("bias", bias.map { Scalar($0) })
    }

    // MARK: - Array API

    /// Runs the layer over a window. x is (L, B, I); `initialState` nil means zeros.
    /// Returns y (L, B, H) and the state after the last step.
    @_specialize(exported: true, where Scalar == Float)
    public func forward(_ x: [Scalar], steps L: Int, batch B: Int,
                        initialState: LayerState<Scalar>?) throws -> (y: [Scalar], finalState: LayerState<Scalar>) {
        guard L > 0, B > 0 else { throw NNError.invalidConfiguration("steps and batch must be ≥ 1") }
        guard x.count == L * B * inputSize else {
            throw NNError.shapeMismatch(what: "layer input x (L, B, I)", expected: L * B * inputSize, actual: x.count)
        }
        let state = initialState ?? LayerState(batch: B, hiddenSize: hiddenSize, hasCellState: kind.hasCellState)
        try checkState(state, batch: B, what: "initial state")
        prepare(steps: L, batch: B)
        x.withUnsafeBufferPointer { xp in
            state.h.withUnsafeBufferPointer { hp in
                state.c.withUnsafeBufferPointer { cp in
                    forwardWindow(x: xp.baseAddress!, h0: hp.baseAddress!, c0: cp.baseAddress)
                }
            }
        }
        return (Array(UnsafeBufferPointer(start: output.pointer, count: L * B * hiddenSize)), finalState())
    }

    /// Backpropagates through the last forward window. dy is (L, B, H); `dFinalState` is the
    /// gradient w.r.t. the returned final state (nil = zero). Accumulates (+=) into
    /// `parameters.gradients`; returns dx (L, B, I) and the gradient w.r.t. the initial state.
    @_specialize(exported: true, where Scalar == Float)
    public func backward(dy: [Scalar], dFinalState: LayerState<Scalar>? = nil,
                         needInputGradient: Bool = true) throws -> (dx: [Scalar], dInitialState: LayerState<Scalar>) {
        let L = steps, B = batch
        guard L > 0 else { throw NNError.invalidConfiguration("backward called before forward") }
        guard dy.count == L * B * hiddenSize else {
            throw NNError.shapeMismatch(what: "dy (L, B, H)", expected: L * B * hiddenSize, actual: dy.count)
        }
        if let d = dFinalState { try checkState(d, batch: B, what: "dFinalState") }
        let dFinal = dFinalState ?? LayerState(batch: B, hiddenSize: hiddenSize, hasCellState: kind.hasCellState)
        dy.withUnsafeBufferPointer { dyp in
            dFinal.h.withUnsafeBufferPointer { dhp in
                dFinal.c.withUnsafeBufferPointer { dcp in
                    backwardWindow(dy: dyp.baseAddress!, dhFinal: dhp.baseAddress!,
                                   dcFinal: kind.hasCellState ? dcp.baseAddress : nil,
                                   needInputGradient: needInputGradient)
                }
            }
        }
        accumulateParameterGradients()
        let dx = needInputGradient ? Array(UnsafeBufferPointer(start: inputGradient.pointer, count: L * B * inputSize)) : []
        return (dx, initialStateGradient())
    }

    func checkState(_ s: LayerState<Scalar>, batch B: Int, what: String) throws {
        guard s.batch == B, s.hiddenSize == hiddenSize, s.h.count == B * hiddenSize else {
            throw NNError.shapeMismatch(what: "\(what) h (B, H)", expected: B * hiddenSize, actual: s.h.count)
        }
        if kind.hasCellState, s.c.count != B * hiddenSize {
            throw NNError.shapeMismatch(what: "\(what) c (B, H)", expected: B * hiddenSize, actual: s.c.count)
        }
    }

    /// The state after the last step of the last forward window.
    func finalState() -> LayerState<Scalar> {
        let L = steps, B = batch, H = hiddenSize
        var s = LayerState<Scalar>(batch: B, hiddenSize: H, hasCellState: kind.hasCellState)
        s.h = Array(UnsafeBufferPointer(start: output.pointer + (L - 1) * B * H, count: B * H))
        if kind.hasCellState { s.c = Array(UnsafeBufferPointer(start: cells.pointer + L * B * H, count: B * H)) }
        return s
    }

    /// dL/d(initial state) after the last backward.
    func initialStateGradient() -> LayerState<Scalar> {
        let B = batch, H = hiddenSize
        var s = LayerState<Scalar>(batch: B, hiddenSize: H, hasCellState: kind.hasCellState)
        s.h = Array(UnsafeBufferPointer(start: dhCarry.pointer, count: B * H))
        if kind.hasCellState { s.c = Array(UnsafeBufferPointer(start: dcCarry.pointer, count: B * H)) }
        return s
    }

    // MARK: - Pointer API (used by SequenceModel)

    /// Sizes the forward cache for (L, B); backward buffers are sized by `prepareBackward`, so
    /// inference never allocates them.
    func prepare(steps L: Int, batch B: Int) {
        steps = L; batch = B
        let H = hiddenSize, G = gateWidth, K = fusedWidth
        xh.ensure(L * B * (K + 1))
        if kind == .gru { xrh.ensure(L * B * (K + 1)) }
        gates.ensure(L * B * G)
        if kind.hasCellState { cells.ensure((L + 1) * B * H); cellOutput.ensure(L * B * H) }
        output.ensure(L * B * H)
    }

    /// Sizes the backward buffers for the prepared (L, B).
    func prepareBackward() {
        let L = steps, B = batch, H = hiddenSize, G = gateWidth, K = fusedWidth
        if kind == .gru { dxrh.ensure(B * K) }
        if kind.hasCellState { dcCarry.ensure(B * H) }
        dpre.ensure(L * B * G)
        inputGradient.ensure(L * B * inputSize)
        dhCarry.ensure(B * H)
        dhTotal.ensure(B * H)
        weightsTransposed.ensure(G * K)
    }

    /// How many chunks of streams to run in parallel for batch B: one unless the per-step
    /// product is large enough to pay for a dispatch.
    func chunkCount(batch B: Int) -> Int {
        guard threads > 1, B >= 8 else { return 1 }
        return B * gateWidth * fusedWidth >= 16_384 ? threads : 1
    }

    /// Forward over the prepared window. x (L, B, I), h0 (B, H), c0 (B, H) or nil (zeros). With
    /// `finalState`, each chunk also copies its rows of h_L and c_L there (the single-step path's
    /// new state), so that no thread reads back rows another thread just wrote.
    func forwardWindow(x: UnsafePointer<Scalar>, h0: UnsafePointer<Scalar>, c0: UnsafePointer<Scalar>?,
                       finalState: (h: UnsafeMutablePointer<Scalar>, c: UnsafeMutablePointer<Scalar>?)? = nil) {
        let B = batch, H = hiddenSize, L = steps
        if !readsWeightsInPlace { padWeights() }
        Parallel.forEachChunk(count: B, chunks: chunkCount(batch: B), granularity: 4) { rows in
            let r0 = rows.lowerBound, n = rows.count
            if kind.hasCellState {
                if let c0 { (cells.pointer + r0 * H).update(from: c0 + r0 * H, count: n * H) }
                else { (cells.pointer + r0 * H).update(repeating: 0, count: n * H) }
            }
            forwardRows(rows, x: x, h0: h0)
            if let finalState {
                finalState.h.advanced(by: r0 * H).update(from: output.pointer + ((L - 1) * B + r0) * H, count: n * H)
                if kind.hasCellState, let c = finalState.c {
                    (c + r0 * H).update(from: cells.pointer + (L * B + r0) * H, count: n * H)
                }
            }
        }
    }

    /// Backward over the prepared window for all streams (parameter gradients not included).
    func backwardWindow(dy: UnsafePointer<Scalar>, dhFinal: UnsafePointer<Scalar>?, dcFinal: UnsafePointer<Scalar>?,
                        needInputGradient: Bool) {
        prepareBackward()
        transposeWeights()
        Parallel.forEachChunk(count: batch, chunks: chunkCount(batch: batch), granularity: 4) { rows in
            backwardRows(rows, dy: dy, dhFinal: dhFinal, dcFinal: dcFinal, needInputGradient: needInputGradient)
        }
    }

    /// Row stride of `weightsPadded` in the GRU's row-major layout: G + 16, so that consecutive
    /// rows of a 16-column panel fall in different L1 sets even when G is a power of two.
    var paddedStride: Int { gateWidth + 16 }

    /// LSTM and RNN keep `weightsPadded` panel-packed (the GRU addresses column blocks at 2H,
    /// which need not be a multiple of 16).
    var panelPackedWeights: Bool { kind != .gru }

    /// Single steps (the daily update, recursive forecasts) read [W; b] where it is: packing it
    /// into panels costs a copy of every weight per call, more than one step's product gains, and
    /// runs on one thread before the parallel chunks.
    var readsWeightsInPlace: Bool { steps == 1 && panelPackedWeights }

    /// The forward product's B operand: [W; b] (K + 1, G) from `weightsPadded`, or in place.
    func forwardWeights(_ op: inout GemmOperation<Scalar>) {
        if readsWeightsInPlace {
            op.b = UnsafePointer(parameters.values)
            op.bRowStride = gateWidth
            op.bPanelStride = 0
        } else if panelPackedWeights {
            op.bRowStride = 16
            op.bPanelStride = (fusedWidth + 1) * 16
        } else {
            op.bRowStride = paddedStride
        }
    }

    /// [W; b] (K + 1, G) into `weightsPadded`, once per forward window: for the LSTM and RNN in
    /// panels of 16 columns, each panel's K + 1 rows contiguous (the kernel then reads B as one
    /// sequential stream per panel); for the GRU row-major with row stride G + 16.
    func padWeights() {
        let G = gateWidth, K1 = fusedWidth + 1
        let w = parameters.values
        if panelPackedWeights {
            weightsPadded.ensure((G + 15) / 16 * K1 * 16)
            packPanels(w, rows: K1, columns: G, rowStride: G, columnStride: 1, into: weightsPadded.pointer)
        } else {
            let stride = paddedStride
            weightsPadded.ensure(K1 * stride)
            for k in 0..<K1 { (weightsPadded.pointer + k * stride).update(from: w + k * G, count: G) }
        }
    }

    /// Wᵀ (G, K) from W (K, G), once per backward window. For the LSTM and RNN only its input part
    /// Wᵀ[:, 0..<I] (the B of dx = dpre·W_xᵀ) is written there; the recurrent part Wᵀ[:, I..<K]
    /// (G, H) goes panel-packed into `recurrentTransposedPanels` (panels of 16 columns, each
    /// panel's G rows contiguous), the B of the per-step product dh = dpre·W_hᵀ.
    func transposeWeights() {
        let G = gateWidth, K = fusedWidth, I = inputSize, H = hiddenSize
        let w = parameters.values, wt = weightsTransposed.pointer
        for k in 0..<(panelPackedWeights ? I : K) {
            for g in 0..<G { wt[g * K + k] = w[k * G + g] }
        }
        guard panelPackedWeights else { return }
        // W_hᵀ's element (g, j) is W's (I + j, g).
        recurrentTransposedPanels.ensure((H + 15) / 16 * G * 16)
        packPanels(w + I * G, rows: G, columns: H, rowStride: 1, columnStride: G, into: recurrentTransposedPanels.pointer)
    }

    /// The backward product's B operand for dh: W_hᵀ (G, H), from `recurrentTransposedPanels`
    /// (LSTM, RNN) or `weightsTransposed`.
    func recurrentTransposedOperand(_ op: inout GemmOperation<Scalar>) {
        if panelPackedWeights {
            op.b = UnsafePointer(recurrentTransposedPanels.pointer)
            op.bRowStride = 16
            op.bPanelStride = gateWidth * 16
        }
    }

    /// [dW; db] (K + 1, G) += Σ_t [x | h | 1]ᵀ · dpre, over all L·B rows in one product.
    func accumulateParameterGradients() {
        let M = steps * batch, H = hiddenSize, G = gateWidth, K1 = fusedWidth + 1
        let dW = parameters.gradients
        if kind == .gru {
            // [dW; db][:, z r] += XHᵀ · dpre[:, z r];  [dW; db][:, h̃] += XRHᵀ · dpre[:, h̃]
            Scalar.gemm(GemmOperation(m: K1, n: 2 * H, k: M, a: xh.pointer, aRowStride: 1, aColumnStride: K1,
                                      b: dpre.pointer, bRowStride: G, c: dW, cRowStride: G,
                                      initial: .accumulate, threads: threads, kernel: kernel))
            Scalar.gemm(GemmOperation(m: K1, n: H, k: M, a: xrh.pointer, aRowStride: 1, aColumnStride: K1,
                                      b: dpre.pointer + 2 * H, bRowStride: G, c: dW + 2 * H, cRowStride: G,
                                      initial: .accumulate, threads: threads, kernel: kernel))
        } else {
            Scalar.gemm(GemmOperation(m: K1, n: G, k: M, a: xh.pointer, aRowStride: 1, aColumnStride: K1,
                                      b: dpre.pointer, bRowStride: G, c: dW, cRowStride: G,
                                      initial: .accumulate, threads: threads, kernel: kernel))
        }
    }
}
