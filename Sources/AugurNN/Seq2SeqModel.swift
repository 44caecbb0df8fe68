// The encoder-decoder network: an encoder stack reads the input window, and its final state is
// handed over, unchanged, as the initial state of a decoder stack that emits the horizon one step
// at a time through a dense head shared by every step.
//
// Shapes: Le = encoder steps, Hd = decoder steps (the horizon), B = streams, I = input features,
// H = hidden size. x is (Le, B, I), targets and y are (Hd, B) (one target feature), decoder
// inputs are (Hd, B, 1). Everything is time-major like `SequenceModel`.
//
// Decoder input at step t: t = 0 the last observed target, x[Le − 1, b, targetFeature]; t > 0 the
// previous target (teacher forcing), or, with probability `samplingProbability` per (t, b)
// (scheduled sampling) and always when no targets are given (inference), the decoder's own
// previous output. Fed-back outputs are treated as constants in backward (stop-gradient): the
// gradient does not flow from step t's input back into step t − 1's output.

/// Shape and cell of a `Seq2SeqModel`. The encoder and decoder share cell, H and depth.
public struct Seq2SeqModelConfiguration: Sendable, Equatable {
    public var cell: CellKind
    /// I, the encoder's input width.
    public var inputSize: Int
    /// H, the same for every layer of both stacks.
    public var hiddenSize: Int
    /// Layers per stack (≥ 1).
    public var layers: Int
    /// Which input feature is the forecast target (the first decoder input reads it).
    public var targetFeature: Int
    public var options: CellOptions

    public init(cell: CellKind = .lstm, inputSize: Int = 1, hiddenSize: Int, layers: Int = 1, targetFeature: Int = 0,
                options: CellOptions = .standard) {
        self.cell = cell; self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.layers = layers
        self.targetFeature = targetFeature; self.options = options
    }

    func validate() throws {
        guard inputSize >= 1 else { throw NNError.invalidConfiguration("input size must be ≥ 1, got \(inputSize)") }
        guard hiddenSize >= 1 else { throw NNError.invalidConfiguration("hidden size must be ≥ 1, got \(hiddenSize)") }
        guard layers >= 1 else { throw NNError.invalidConfiguration("layers must be ≥ 1, got \(layers)") }
        guard targetFeature >= 0, targetFeature < inputSize else {
            throw NNError.invalidConfiguration("target feature must be in 0..<\(inputSize), got \(targetFeature)")
        }
    }

    /// The decoder: one input (the previous target), one output per step.
    var decoder: SequenceModelConfiguration {
        SequenceModelConfiguration(cell: cell, inputSize: 1, hiddenSize: hiddenSize, layers: layers, outputSize: 1,
                                   dropout: 0, options: options)
    }
}

/// What a `Seq2SeqModel.forward` produced.
public struct Seq2SeqOutput<Scalar: NNScalar>: Sendable {
    /// y (Hd, B): the prediction for every horizon step.
    public var y: [Scalar]
    /// The encoder's state after the window: the decoder's initial state, and the state to carry
    /// into the next window when the encoder runs statefully.
    public var encoderFinalState: RecurrentState<Scalar>
    /// (Hd, B): the input the decoder actually received at each step (targets or fed-back outputs).
    public var decoderInputs: [Scalar]
}

/// An encoder-decoder (sequence-to-sequence) forecaster network.
///
/// ```swift
/// let model = try Seq2SeqModel<Float>(configuration: .init(hiddenSize: 16), seed: 1)
/// model.zeroGradients()
/// let out = try model.forward(x, steps: 64, batch: 32, targets: t, horizon: 20, state: nil, training: true)
/// let (loss, dy) = try Loss.meanSquaredError.valueAndGradient(prediction: out.y, target: t)
/// try model.backward(dy: dy)
/// let path = try model.predict(x, steps: 64, batch: 1, horizon: 30, state: nil)  // free running
/// ```
public final class Seq2SeqModel<Scalar: NNScalar> {
    public let configuration: Seq2SeqModelConfiguration
    /// The encoder stack, bottom layer first.
    public let encoder: [RecurrentLayer<Scalar>]
    /// The decoder stack and the shared dense head (no dropout).
    public let decoder: SequenceModel<Scalar>
    /// The dense head applied at every decoder step.
    public var head: DenseLayer<Scalar> { decoder.head }
    /// The Float kernels of the encoder and decoder.
    public var kernel: Kernel = .processDefault {
        didSet { for l in encoder { l.kernel = kernel }; decoder.kernel = kernel }
    }

    private var generator: SeededGenerator
    private(set) var encoderSteps = 0
    private(set) var batch = 0
    private(set) var horizon = 0
    private(set) var trained = false
    let encoderInput = ScratchBuffer<Scalar>()   // (Le, B, I) copy of the caller's x
    let zeroOutputGradient = ScratchBuffer<Scalar>()  // (Le, B, H) zeros: the top encoder layer's outputs feed no loss

    /// Builds the model; the same configuration and seed give the same weights.
    public init(configuration: Seq2SeqModelConfiguration, seed: UInt64) throws {
        try configuration.validate()
        self.configuration = configuration
        var seeds = SeededGenerator(seed: seed)
        var encoder: [RecurrentLayer<Scalar>] = []
        for l in 0..<configuration.layers {
            encoder.append(try RecurrentLayer(kind: configuration.cell,
                                              inputSize: l == 0 ? configuration.inputSize : configuration.hiddenSize,
                                              hiddenSize: configuration.hiddenSize, options: configuration.options,
                                              seed: seeds.next()))
        }
        self.encoder = encoder
        decoder = try SequenceModel(configuration: configuration.decoder, seed: seeds.next())
        generator = SeededGenerator(seed: seeds.next())
    }

    /// Every parameter block: encoder layers, decoder layers, head (the order of serialisation).
    public var parameterBuffers: [ParameterBuffer<Scalar>] { encoder.map(\.parameters) + decoder.parameterBuffers }

    /// Total number of parameters.
    public var parameterCount: Int { parameterBuffers.reduce(0) { $0 + $1.count } }

    /// Zeroes every gradient (once per training step, before backward).
    public func zeroGradients() { for p in parameterBuffers { p.zeroGradients() } }

    /// The zero encoder state for `batch` streams.
    public func zeroState(batch: Int) -> RecurrentState<Scalar> { decoder.zeroState(batch: batch) }

    /// Runs the encoder over x (Le, B, I) from `state` (nil = zeros) and decodes `horizon` steps.
    ///
    /// `targets` (Hd, B) drive teacher forcing; with `samplingProbability` p > 0 each (step, stream)
    /// input is instead, with probability p (seeded), the model's own previous output. Without
    /// targets the decoder runs free (its own outputs fed back). With `training`, the caches are
    /// kept for `backward`.
    @_specialize(exported: true, where Scalar == Float)
    public func forward(_ x: [Scalar], steps Le: Int, batch B: Int, targets: [Scalar]?, horizon Hd: Int,
                        state: RecurrentState<Scalar>?, training: Bool,
                        samplingProbability: Double = 0) throws -> Seq2SeqOutput<Scalar> {
        guard Hd > 0 else { throw NNError.invalidConfiguration("horizon must be ≥ 1, got \(Hd)") }
        guard samplingProbability >= 0, samplingProbability <= 1 else {
            throw NNError.invalidConfiguration("sampling probability must be in [0, 1], got \(samplingProbability)")
        }
        if let targets, targets.count != Hd * B {
            throw NNError.shapeMismatch(what: "targets (Hd, B)", expected: Hd * B, actual: targets.count)
        }
        let handOver = try encode(x, steps: Le, batch: B, state: state)
        let I = configuration.inputSize, f = configuration.targetFeature
        var inputs = [Scalar](repeating: 0, count: Hd * B)   // (Hd, B, 1)
        for b in 0..<B { inputs[b] = x[((Le - 1) * B + b) * I + f] }
        var y: [Scalar]
        let feedsBack = targets == nil || samplingProbability > 0
        if feedsBack {
            // Step by step, since an input may be the previous output; then (training) one window
            // forward over the inputs actually used fills the caches for backward.
            var decoderState = handOver
            var out = [Scalar](repeating: 0, count: B)
            y = [Scalar](repeating: 0, count: Hd * B)
            for t in 0..<Hd {
                if t > 0 {
                    for b in 0..<B {
                        let own = out[b]
                        if let targets {
                            let sample = generator.nextUnit() < samplingProbability
                            inputs[t * B + b] = sample ? own : targets[(t - 1) * B + b]
                        } else {
                            inputs[t * B + b] = own
                        }
                    }
                }
                try decoder.step(Array(inputs[(t * B)..<((t + 1) * B)]), state: &decoderState, output: &out)
                y.replaceSubrange((t * B)..<((t + 1) * B), with: out)
            }
            if training { y = try decoder.forward(inputs, steps: Hd, batch: B, state: handOver, training: true).y }
        } else {
            for t in 1..<Hd { for b in 0..<B { inputs[t * B + b] = targets![(t - 1) * B + b] } }
            y = try decoder.forward(inputs, steps: Hd, batch: B, state: handOver, training: training).y
        }
        horizon = Hd
        trained = training
        return Seq2SeqOutput(y: y, encoderFinalState: handOver, decoderInputs: inputs)
    }

    /// Free-running forecast: encodes x (Le, B, I) and decodes `horizon` steps, each output fed back
    /// as the next input. Returns y (horizon, B). No training caches are kept for backward.
    @_specialize(exported: true, where Scalar == Float)
    public func predict(_ x: [Scalar], steps Le: Int, batch B: Int, horizon Hd: Int,
                        state: RecurrentState<Scalar>?) throws -> [Scalar] {
        try forward(x, steps: Le, batch: B, targets: nil, horizon: Hd, state: state, training: false).y
    }

    /// Runs the encoder stack over x (Le, B, I) from `state` (nil = zeros); returns its final state.
    /// The caches stay in the encoder layers for `backward`.
    @_specialize(exported: true, where Scalar == Float)
    public func encode(_ x: [Scalar], steps Le: Int, batch B: Int,
                       state: RecurrentState<Scalar>?) throws -> RecurrentState<Scalar> {
        let I = configuration.inputSize
        guard Le > 0, B > 0 else { throw NNError.invalidConfiguration("steps and batch must be ≥ 1") }
        guard x.count == Le * B * I else {
            throw NNError.shapeMismatch(what: "encoder input x (Le, B, I)", expected: Le * B * I, actual: x.count)
        }
        let state = state ?? zeroState(batch: B)
        guard state.layers.count == encoder.count else {
            throw NNError.shapeMismatch(what: "encoder state layers", expected: encoder.count, actual: state.layers.count)
        }
        for (l, layer) in encoder.enumerated() { try layer.checkState(state.layers[l], batch: B, what: "encoder layer \(l) state") }
        encoderSteps = Le; batch = B; trained = false
        encoderInput.ensure(Le * B * I)
        x.withUnsafeBufferPointer { encoderInput.pointer.update(from: $0.baseAddress!, count: Le * B * I) }
        var input = UnsafePointer(encoderInput.pointer)
        for (l, layer) in encoder.enumerated() {
            layer.prepare(steps: Le, batch: B)
            state.layers[l].h.withUnsafeBufferPointer { h0 in
                state.layers[l].c.withUnsafeBufferPointer { c0 in
                    layer.forwardWindow(x: input, h0: h0.baseAddress!, c0: layer.kind.hasCellState ? c0.baseAddress : nil)
                }
            }
            input = UnsafePointer(layer.output.pointer)
        }
        return RecurrentState(layers: encoder.map { $0.finalState() })
    }
}
