// Backward through the decoder, across the hand-over and through the encoder (BPTT over Le + Hd
// steps), and the parameter blob of the encoder-decoder.

extension Seq2SeqModel {
    /// Backpropagates dy (Hd, B) through the last training forward. Accumulates (+=) into every
    /// parameter gradient and returns the gradient w.r.t. the encoder's initial state.
    ///
    /// The decoder's gradient w.r.t. its initial state is the encoder's dFinalState (the state is
    /// handed over unchanged); the top encoder layer's outputs feed nothing else, so its dy is 0.
    /// Decoder inputs (targets or fed-back outputs) are constants: no gradient flows through them.
    @discardableResult
    @_specialize(exported: true, where Scalar == Float)
    public func backward(dy: [Scalar]) throws -> RecurrentState<Scalar> {
        let Le = encoderSteps, B = batch, Hd = horizon, H = configuration.hiddenSize
        guard trained, Le > 0, Hd > 0 else {
            throw NNError.invalidConfiguration("backward needs a preceding forward with training: true")
        }
        guard dy.count == Hd * B else { throw NNError.shapeMismatch(what: "dy (Hd, B)", expected: Hd * B, actual: dy.count) }
        // decoder: y = head(decoder(inputs, h_0 = encoder final state))  ⇒  dh_0 of the decoder
        let dHandOver = try decoder.backward(dy: dy)
        // encoder: (h, c)_final feeds only the decoder  ⇒  dFinal = dHandOver, dy_top = 0
        var dOut = UnsafePointer(zeroOutputGradient.zeroed(Le * B * H))
        for l in stride(from: encoder.count - 1, through: 0, by: -1) {
            let layer = encoder[l]
            let dState = dHandOver.layers[l]
            dState.h.withUnsafeBufferPointer { dh in
                dState.c.withUnsafeBufferPointer { dc in
                    layer.backwardWindow(dy: dOut, dhFinal: dh.baseAddress!,
                                         dcFinal: layer.kind.hasCellState ? dc.baseAddress : nil,
                                         needInputGradient: l > 0)
                }
            }
            layer.accumulateParameterGradients()
            dOut = UnsafePointer(layer.inputGradient.pointer)
        }
        return RecurrentState(layers: encoder.map { $0.initialStateGradient() })
    }

    /// Every parameter tensor with its model-wide name: "encoder.layer0.kernel", …,
    /// "decoder.layer0.kernel", …, "head.kernel", "head.bias".
    public func namedTensors() -> [NamedTensor] {
        var out: [NamedTensor] = []
        for (l, layer) in encoder.enumerated() {
            for t in layer.parameters.tensors {
                out.append(NamedTensor(name: "encoder.layer\(l).\(t.name)", shape: t.shape,
                                       values: layer.parameters.tensorValues(t.name).map { Float($0) }))
            }
        }
        for t in decoder.namedTensors() {
            var t = t
            if t.name.hasPrefix("layer") { t.name = "decoder." + t.name }
            out.append(t)
        }
        return out
    }

    /// The parameters as a versioned blob (float32).
    public func parameterBlob() -> [UInt8] { ParameterBlob.encode(namedTensors()) }

    /// Replaces every parameter from a blob written by `parameterBlob()` for a model of the same
    /// configuration. Throws (and changes nothing) when the blob is malformed or does not match.
    public func loadParameters(from blob: [UInt8]) throws {
        try ParameterBlob.load(blob, expected: namedTensors(), into: parameterBuffers)
    }
}
