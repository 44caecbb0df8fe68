// Seq2SeqModel: central-difference gradient checks in Double for every parameter tensor of the
// encoder, the decoder and the head and for the encoder's initial state (Le = 6, Hd = 5, B = 3,
// two layers per stack, every cell kind); the hand-over of the state is exact (bitwise); the
// Float path agrees with Double; the same seed gives the same weights; blobs round-trip.
// Criterion as in GradientCheckTests: relative error ‖analytic − numeric‖ / max(‖·‖) < 1e-6.
// The loss only sees decoder outputs, so every encoder gradient (and the gradient w.r.t. the
// encoder's initial state) is checked through the encoder-to-decoder hand-over alone.

import Testing
@testable import AugurNN

private let tolerance = 1e-6

private func expectClose(_ analytic: [Double], _ numeric: [Double], _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let error = relativeError(analytic, numeric)
    #expect(norm(numeric) > 1e-6, "\(what): numeric gradient is ~0, the check would be vacuous",
            sourceLocation: sourceLocation)
    #expect(error < tolerance, "\(what): relative error \(error), worst |Δ| \(maxAbsDifference(analytic, numeric))",
            sourceLocation: sourceLocation)
}

/// A small two-layer model with random biases, so that no gate sits at a symmetric point.
private func doubleModel(_ kind: CellKind, I: Int, H: Int, seed: UInt64) throws -> Seq2SeqModel<Double> {
    let model = try Seq2SeqModel<Double>(configuration: .init(cell: kind, inputSize: I, hiddenSize: H, layers: 2,
                                                              targetFeature: 1), seed: seed)
    var rng = SeededGenerator(seed: seed &+ 100)
    for layer in model.encoder + model.decoder.layers {
        try layer.parameters.setTensorValues("bias", randomArray(layer.gateWidth, scale: 0.5, generator: &rng))
    }
    try model.head.parameters.setTensorValues("bias", randomArray(1, scale: 0.5, generator: &rng))
    return model
}

private func randomState(_ kind: CellKind, layers: Int, B: Int, H: Int,
                         generator: inout SeededGenerator) throws -> RecurrentState<Double> {
    RecurrentState(layers: try (0..<layers).map { _ in
        try LayerState(batch: B, hiddenSize: H, h: randomArray(B * H, scale: 0.8, generator: &generator),
                       c: kind.hasCellState ? randomArray(B * H, scale: 0.8, generator: &generator) : [])
    })
}

@Suite struct Seq2SeqTests {
    @Test(arguments: CellKind.allCases)
    func seq2SeqGradients(kind: CellKind) throws {
        let I = 2, H = 3, Le = 6, Hd = 5, B = 3
        var rng = SeededGenerator(seed: 31)
        let model = try doubleModel(kind, I: I, H: H, seed: 8)
        let x = randomArray(Le * B * I, generator: &rng)
        let targets = randomArray(Hd * B, generator: &rng)
        let state = try randomState(kind, layers: 2, B: B, H: H, generator: &rng)
        let lossFunction = Loss.meanSquaredError
        func loss(_ s: RecurrentState<Double>) throws -> Double {
            let out = try model.forward(x, steps: Le, batch: B, targets: targets, horizon: Hd, state: s, training: false)
            return try lossFunction.valueAndGradient(prediction: out.y, target: targets).value
        }
        model.zeroGradients()
        let out = try model.forward(x, steps: Le, batch: B, targets: targets, horizon: Hd, state: state, training: true)
        let dy = try lossFunction.valueAndGradient(prediction: out.y, target: targets).gradient
        let dInitial = try model.backward(dy: dy)

        for (name, buffer) in zip(model.namedTensors().map(\.name), model.parameterBuffers.flatMap { b in b.tensors.map { _ in b } }) {
            let tensor = String(name.split(separator: ".").last!)
            let d = buffer.descriptor(tensor)!
            let numeric = try numericGradient(count: d.count, get: { buffer.values[d.offset + $0] },
                                              set: { buffer.values[d.offset + $0] = $1 }, loss: { try loss(state) })
            expectClose(buffer.tensorGradients(tensor), numeric, "\(kind) \(name)")
        }
        for l in 0..<2 {
            let base = state
            var h = base.layers[l].h
            let dh = try numericArrayGradient(&h) { h in
                var s = base; s.layers[l].h = h; return try loss(s)
            }
            expectClose(dInitial.layers[l].h, dh, "\(kind) encoder h0 layer \(l)")
            if kind.hasCellState {
                var c = base.layers[l].c
                let dc = try numericArrayGradient(&c) { c in
                    var s = base; s.layers[l].c = c; return try loss(s)
                }
                expectClose(dInitial.layers[l].c, dc, "\(kind) encoder c0 layer \(l)")
            }
        }
    }

    /// With scheduled sampling, fed-back outputs are constants in backward: the analytic gradient is
    /// the gradient of the loss with the decoder inputs frozen at the values the forward used.
    @Test func scheduledSamplingIsStopGradient() throws {
        let I = 2, H = 3, Le = 5, Hd = 6, B = 3
        var rng = SeededGenerator(seed: 41)
        let model = try doubleModel(.lstm, I: I, H: H, seed: 12)
        let x = randomArray(Le * B * I, generator: &rng)
        let targets = randomArray(Hd * B, generator: &rng)
        model.zeroGradients()
        let out = try model.forward(x, steps: Le, batch: B, targets: targets, horizon: Hd, state: nil, training: true,
                                    samplingProbability: 0.5)
        let teacher = (0..<(Hd * B)).map { $0 < B ? x[((Le - 1) * B + $0) * I + 1] : targets[$0 - B] }
        let fedBack = zip(out.decoderInputs, teacher).filter { $0 != $1 }.count
        #expect(fedBack > 0 && fedBack < (Hd - 1) * B, "some inputs fed back, not all: \(fedBack)")
        // Fed-back inputs equal the previous step's outputs.
        for t in 1..<Hd {
            for b in 0..<B where out.decoderInputs[t * B + b] != targets[(t - 1) * B + b] {
                #expect(abs(out.decoderInputs[t * B + b] - out.y[(t - 1) * B + b]) < 1e-12)
            }
        }
        let dy = try Loss.meanSquaredError.valueAndGradient(prediction: out.y, target: targets).gradient
        try model.backward(dy: dy)
        let frozen = out.decoderInputs
        func loss() throws -> Double {
            let s = try model.encode(x, steps: Le, batch: B, state: nil)
            let y = try model.decoder.forward(frozen, steps: Hd, batch: B, state: s, training: false).y
            return try Loss.meanSquaredError.valueAndGradient(prediction: y, target: targets).value
        }
        for buffer in model.parameterBuffers {
            let numeric = try numericParameterGradients(buffer, loss: loss)
            for t in buffer.tensors { expectClose(buffer.tensorGradients(t.name), numeric[t.name]!, "sampled \(t.name)") }
        }
    }

    /// The decoder starts from exactly the encoder's final state: an encoder run layer by layer on
    /// its own gives the same state bit for bit, and decoding from it gives the same outputs.
    @Test(arguments: CellKind.allCases)
    func decoderStartsFromTheEncoderFinalStateExactly(kind: CellKind) throws {
        let I = 2, H = 5, Le = 7, Hd = 4, B = 3
        let model = try Seq2SeqModel<Float>(configuration: .init(cell: kind, inputSize: I, hiddenSize: H, layers: 2), seed: 3)
        var rng = SeededGenerator(seed: 5)
        let x = randomArray(Le * B * I, generator: &rng).map { Float($0) }
        let targets = randomArray(Hd * B, generator: &rng).map { Float($0) }
        let out = try model.forward(x, steps: Le, batch: B, targets: targets, horizon: Hd, state: nil, training: true)
        var input = x, independent: [LayerState<Float>] = []
        for layer in model.encoder {
            let (y, last) = try layer.forward(input, steps: Le, batch: B, initialState: nil)
            independent.append(last)
            input = y
        }
        #expect(out.encoderFinalState == RecurrentState(layers: independent))
        let y = try model.decoder.forward(out.decoderInputs, steps: Hd, batch: B, state: RecurrentState(layers: independent),
                                          training: false).y
        #expect(y == out.y)
        // The first decoder input is the last observed target feature.
        #expect(Array(out.decoderInputs.prefix(B)) == (0..<B).map { x[((Le - 1) * B + $0) * I] })
    }

    /// Float (SIMD kernels) against Double (reference kernels) on the same float32 weights:
    /// outputs within 1e-5 relative, every gradient within 1e-4 relative (float32 rounding over
    /// Le + Hd = 20 steps).
    @Test(arguments: CellKind.allCases)
    func floatPathAgreesWithDouble(kind: CellKind) throws {
        let I = 1, H = 8, Le = 12, Hd = 8, B = 4
        let f = try Seq2SeqModel<Float>(configuration: .init(cell: kind, inputSize: I, hiddenSize: H, layers: 2), seed: 9)
        let d = try Seq2SeqModel<Double>(configuration: .init(cell: kind, inputSize: I, hiddenSize: H, layers: 2), seed: 1)
        try d.loadParameters(from: f.parameterBlob())
        var rng = SeededGenerator(seed: 6)
        let x = randomArray(Le * B * I, generator: &rng), t = randomArray(Hd * B, generator: &rng)
        let xf = x.map { Float($0) }, tf = t.map { Float($0) }
        let x32 = xf.map { Double($0) }, t32 = tf.map { Double($0) }
        f.zeroGradients(); d.zeroGradients()
        let of = try f.forward(xf, steps: Le, batch: B, targets: tf, horizon: Hd, state: nil, training: true)
        let od = try d.forward(x32, steps: Le, batch: B, targets: t32, horizon: Hd, state: nil, training: true)
        #expect(relativeError(of.y.map { Double($0) }, od.y) < 1e-5)
        let dyf = try Loss.meanSquaredError.valueAndGradient(prediction: of.y, target: tf).gradient
        let dyd = try Loss.meanSquaredError.valueAndGradient(prediction: od.y, target: t32).gradient
        let sf = try f.backward(dy: dyf), sd = try d.backward(dy: dyd)
        for (bf, bd) in zip(f.parameterBuffers, d.parameterBuffers) {
            let e = relativeError(bf.flatGradients.map { Double($0) }, bd.flatGradients)
            #expect(e < 1e-4, "\(kind) gradient relative error \(e)")
        }
        #expect(relativeError(sf.layers[0].h.map { Double($0) }, sd.layers[0].h) < 1e-4)
        // Free running agrees too.
        let pf = try f.predict(xf, steps: Le, batch: B, horizon: Hd + 3, state: nil)
        let pd = try d.predict(x32, steps: Le, batch: B, horizon: Hd + 3, state: nil)
        #expect(relativeError(pf.map { Double($0) }, pd) < 1e-5)
    }

    @Test func sameSeedSameWeightsAndBlobRoundTrip() throws {
        let config = Seq2SeqModelConfiguration(cell: .gru, inputSize: 2, hiddenSize: 6, layers: 2)
        let a = try Seq2SeqModel<Float>(configuration: config, seed: 4)
        let b = try Seq2SeqModel<Float>(configuration: config, seed: 4)
        let c = try Seq2SeqModel<Float>(configuration: config, seed: 5)
        #expect(a.parameterBuffers.flatMap(\.flatValues) == b.parameterBuffers.flatMap(\.flatValues))
        #expect(a.parameterBuffers.flatMap(\.flatValues) != c.parameterBuffers.flatMap(\.flatValues))
        #expect(a.namedTensors().map(\.name) == [
            "encoder.layer0.kernel", "encoder.layer0.recurrent_kernel", "encoder.layer0.bias",
            "encoder.layer1.kernel", "encoder.layer1.recurrent_kernel", "encoder.layer1.bias",
            "decoder.layer0.kernel", "decoder.layer0.recurrent_kernel", "decoder.layer0.bias",
            "decoder.layer1.kernel", "decoder.layer1.recurrent_kernel", "decoder.layer1.bias",
            "head.kernel", "head.bias"])
        try c.loadParameters(from: a.parameterBlob())
        #expect(a.parameterBuffers.flatMap(\.flatValues) == c.parameterBuffers.flatMap(\.flatValues))
        let x: [Float] = (0..<(6 * 3 * 2)).map { Float($0) / 36 }
        #expect(try a.predict(x, steps: 6, batch: 3, horizon: 5, state: nil) == c.predict(x, steps: 6, batch: 3, horizon: 5, state: nil))
        let plain = try SequenceModel<Float>(configuration: .init(cell: .gru, inputSize: 2, hiddenSize: 6, layers: 2), seed: 1)
        #expect(throws: NNError.self) { try c.loadParameters(from: plain.parameterBlob()) }
    }

    @Test func badInputsThrowTypedErrors() throws {
        let model = try Seq2SeqModel<Float>(configuration: .init(hiddenSize: 4), seed: 1)
        #expect(throws: NNError.self) { try model.backward(dy: [0]) }
        #expect(throws: NNError.self) {
            try model.forward([1, 2, 3], steps: 2, batch: 1, targets: nil, horizon: 2, state: nil, training: false)
        }
        #expect(throws: NNError.self) {
            try model.forward([1, 2], steps: 2, batch: 1, targets: [1], horizon: 2, state: nil, training: true)
        }
        #expect(throws: NNError.self) { try Seq2SeqModel<Float>(configuration: .init(inputSize: 2, hiddenSize: 4, targetFeature: 2), seed: 1) }
    }
}
