// A stack of recurrent layers with a dense head at every time step: the forecasting network.
// x (L, B, I) → layer 1 → [dropout] → … → layer n → dense → y (L, B, O). Dropout (inverted,
// training only) sits between recurrent layers, never on the recurrent connections.

/// Shape and cell of a `SequenceModel`.
public struct SequenceModelConfiguration: Sendable, Equatable {
    public var cell: CellKind
    /// I.
    public var inputSize: Int
    /// H, the same for every recurrent layer.
    public var hiddenSize: Int
    /// Number of stacked recurrent layers (≥ 1).
    public var layers: Int
    /// O, the dense head's width.
    public var outputSize: Int
    /// Drop probability between recurrent layers at training time, in [0, 1).
    public var dropout: Double
    public var options: CellOptions

    public init(cell: CellKind = .lstm, inputSize: Int = 1, hiddenSize: Int, layers: Int = 1, outputSize: Int = 1,
                dropout: Double = 0, options: CellOptions = .standard) {
        self.cell = cell; self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.layers = layers
        self.outputSize = outputSize; self.dropout = dropout; self.options = options
    }

    func validate() throws {
        guard inputSize >= 1 else { throw NNError.invalidConfiguration("input size must be ≥ 1, got \(inputSize)") }
        guard hiddenSize >= 1 else { throw NNError.invalidConfiguration("hidden size must be ≥ 1, got \(hiddenSize)") }
        guard layers >= 1 else { throw NNError.invalidConfiguration("layers must be ≥ 1, got \(layers)") }
        guard outputSize >= 1 else { throw NNError.invalidConfiguration("output size must be ≥ 1, got \(outputSize)") }
        guard dropout >= 0, dropout < 1 else {
            throw NNError.invalidConfiguration("dropout must be in [0, 1), got \(dropout)")
        }
    }
}

/// Stacked recurrent layers plus a dense head applied at every step.
///
/// Weights do not depend on B: train with B = 64 streams, run inference on 500 series with
/// `step`. A state belongs to a stream; `RecurrentState.row`/`setRow` move one stream's state.
public final class SequenceModel<Scalar: NNScalar> {
    public let configuration: SequenceModelConfiguration
    public let layers: [RecurrentLayer<Scalar>]
    public let head: DenseLayer<Scalar>
    /// Upper bound on threads (applies to every layer).
    public var threads: Int = 1 {
        didSet { for l in layers { l.threads = threads }; head.threads = threads }
    }
    /// The Float kernels every layer runs on (default: the best this CPU runs, or AUGUR_KERNEL's).
    public var kernel: Kernel = .processDefault {
        didSet { for l in layers { l.kernel = kernel }; head.kernel = kernel }
    }

    private var generator: SeededGenerator
    private(set) var steps = 0
    private(set) var batch = 0
    private var training = false
    let masks: [ScratchBuffer<Scalar>]    // per layer boundary: (L, B, H) dropout multipliers
    let dropped: [ScratchBuffer<Scalar>]  // per layer boundary: (L, B, H) masked outputs
    let layerInput = ScratchBuffer<Scalar>()   // (L, B, I) copy of the caller's x
    let outputGradient = ScratchBuffer<Scalar>()  // (L, B, O)
    let hiddenGradient = ScratchBuffer<Scalar>()  // (L, B, H) gradient flowing into a layer's output
    let zeroState = ScratchBuffer<Scalar>()       // (B, H) zeros

    /// Builds the model; the same configuration and seed give the same weights.
    public init(configuration: SequenceModelConfiguration, seed: UInt64) throws {
        try configuration.validate()
        self.configuration = configuration
        var seeds = SeededGenerator(seed: seed)
        var layers: [RecurrentLayer<Scalar>] = []
        for l in 0..<configuration.layers {
            layers.append(try RecurrentLayer(kind: configuration.cell,
                                             inputSize: l == 0 ? configuration.inputSize : configuration.hiddenSize,
                                             hiddenSize: configuration.hiddenSize, options: configuration.options,
                                             seed: seeds.next()))
        }
        self.layers = layers
        head = try DenseLayer(inputSize: configuration.hiddenSize, outputSize: configuration.outputSize,
                              seed: seeds.next())
        generator = SeededGenerator(seed: seeds.next())
        masks = (1..<max(configuration.layers, 1)).map { _ in ScratchBuffer<Scalar>() }
        dropped = (1..<max(configuration.layers, 1)).map { _ in ScratchBuffer<Scalar>() }
    }

    /// Every parameter block, bottom layer first, head last (the order of serialisation).
    public var parameterBuffers: [ParameterBuffer<Scalar>] { layers.map(\.parameters) + [head.parameters] }

    /// Total number of parameters.
    public var parameterCount: Int { parameterBuffers.reduce(0) { $0 + $1.count } }

    /// Zeroes every gradient (once per training step, before backward).
    @_specialize(exported: true, where Scalar == Float)
    public func zeroGradients() { for p in parameterBuffers { p.zeroGradients() } }

    /// The zero state for `batch` streams.
    @_specialize(exported: true, where Scalar == Float)
    public func zeroState(batch: Int) -> RecurrentState<Scalar> {
        RecurrentState(layers: layers.map { LayerState(batch: batch, hiddenSize: $0.hiddenSize, hasCellState: $0.kind.hasCellState) })
    }

    /// Runs the window x (L, B, I) from `state` (nil = zeros). With `training`, dropout is on
    /// and the caches are kept for `backward`. Returns y (L, B, O) and the final state.
    @_specialize(exported: true, where Scalar == Float)
    public func forward(_ x: [Scalar], steps L: Int, batch B: Int, state: RecurrentState<Scalar>?,
                        training: Bool) throws -> (y: [Scalar], finalState: RecurrentState<Scalar>) {
        let I = configuration.inputSize, H = configuration.hiddenSize, O = configuration.outputSize
        guard L > 0, B > 0 else { throw NNError.invalidConfiguration("steps and batch must be ≥ 1") }
        guard x.count == L * B * I else {
            throw NNError.shapeMismatch(what: "model input x (L, B, I)", expected: L * B * I, actual: x.count)
        }
        let state = state ?? zeroState(batch: B)
        guard state.layers.count == layers.count else {
            throw NNError.shapeMismatch(what: "state layers", expected: layers.count, actual: state.layers.count)
        }
        for (l, layer) in layers.enumerated() { try layer.checkState(state.layers[l], batch: B, what: "layer \(l) state") }
        steps = L; batch = B; self.training = training
        layerInput.ensure(L * B * I)
        x.withUnsafeBufferPointer { layerInput.pointer.update(from: $0.baseAddress!, count: L * B * I) }
        var input = UnsafePointer(layerInput.pointer)
        for (l, layer) in layers.enumerated() {
            layer.prepare(steps: L, batch: B)
            state.layers[l].h.withUnsafeBufferPointer { h0 in
                state.layers[l].c.withUnsafeBufferPointer { c0 in
                    layer.forwardWindow(x: input, h0: h0.baseAddress!, c0: layer.kind.hasCellState ? c0.baseAddress : nil)
                }
            }
            input = UnsafePointer(layer.output.pointer)
            if l < layers.count - 1, training, configuration.dropout > 0 {
                input = UnsafePointer(applyDropout(boundary: l, values: layer.output.pointer, count: L * B * H))
            }
        }
        head.forward(input: input, rows: L * B)
        let y = Array(UnsafeBufferPointer(start: head.output.pointer, count: L * B * O))
        return (y, RecurrentState(layers: layers.map { $0.finalState() }))
    }

    /// Backpropagates dy (L, B, O) through the last training forward; `dFinalState` is the
    /// gradient w.r.t. the returned final state (nil = zero). Accumulates (+=) into every
    /// parameter gradient and returns the gradient w.r.t. the initial state.
    @discardableResult
    @_specialize(exported: true, where Scalar == Float)
    public func backward(dy: [Scalar], dFinalState: RecurrentState<Scalar>? = nil) throws -> RecurrentState<Scalar> {
        let L = steps, B = batch, O = configuration.outputSize
        guard L > 0 else { throw NNError.invalidConfiguration("backward called before forward") }
        guard dy.count == L * B * O else {
            throw NNError.shapeMismatch(what: "dy (L, B, O)", expected: L * B * O, actual: dy.count)
        }
        if let d = dFinalState {
            guard d.layers.count == layers.count else {
                throw NNError.shapeMismatch(what: "dFinalState layers", expected: layers.count, actual: d.layers.count)
            }
            for (l, layer) in layers.enumerated() { try layer.checkState(d.layers[l], batch: B, what: "dFinalState \(l)") }
        }
        outputGradient.ensure(L * B * O)
        dy.withUnsafeBufferPointer { outputGradient.pointer.update(from: $0.baseAddress!, count: L * B * O) }
        backwardFromOutputGradient(dFinalState: dFinalState)
        return RecurrentState(layers: layers.map { $0.initialStateGradient() })
    }

    /// Backward with dy already in `outputGradient`.
    func backwardFromOutputGradient(dFinalState: RecurrentState<Scalar>?) {
        let L = steps, B = batch, H = configuration.hiddenSize
        head.backward(dy: outputGradient.pointer, needInputGradient: true)
        var dOut = UnsafePointer(head.inputGradient.pointer)  // (L, B, H) into the top layer's output
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            if l < layers.count - 1, training, configuration.dropout > 0 {
                // dropped = y ⊙ mask  ⇒  dy = ddropped ⊙ mask
                hiddenGradient.ensure(L * B * H)
                let m = masks[l].pointer
                Scalar.multiply(dOut, m, into: hiddenGradient.pointer, count: L * B * H)
                dOut = UnsafePointer(hiddenGradient.pointer)
            }
            let dState = dFinalState?.layers[l]
            let dh = dState?.h ?? []
            let dc = dState?.c ?? []
            dh.withUnsafeBufferPointer { dhp in
                dc.withUnsafeBufferPointer { dcp in
                    layer.backwardWindow(dy: dOut, dhFinal: dState == nil ? nil : dhp.baseAddress,
                                         dcFinal: dState == nil || !layer.kind.hasCellState ? nil : dcp.baseAddress,
                                         needInputGradient: l > 0)
                }
            }
            layer.accumulateParameterGradients()
            dOut = UnsafePointer(layer.inputGradient.pointer)
        }
    }

    /// Inverted dropout at boundary `boundary`: draws a fresh mask (0 or 1/(1−p)) and returns the
    /// masked copy of `values` (count = L·B·H).
    private func applyDropout(boundary: Int, values: UnsafePointer<Scalar>, count: Int) -> UnsafeMutablePointer<Scalar> {
        let p = configuration.dropout
        let keep = Scalar(1 / (1 - p))
        masks[boundary].ensure(count)
        dropped[boundary].ensure(count)
        let m = masks[boundary].pointer, out = dropped[boundary].pointer
        for k in 0..<count { m[k] = generator.nextUnit() < p ? 0 : keep }
        Scalar.multiply(values, m, into: out, count: count)
        return out
    }
}
