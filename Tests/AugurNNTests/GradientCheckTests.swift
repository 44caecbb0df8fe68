// Central-difference gradient checks in Double for every parameter tensor and the initial state
// of each layer kind, the dense head and a 2-layer stack. Windows of L = 5 steps, B = 3 streams.
// Criterion: tensor-wise relative error ‖analytic − numeric‖ / max(‖·‖) < 1e-6 (central
// differences with ε = 1e-5 have truncation error ~1e-10 here), and every gradient is non-zero
// so that a broken backward that returns zeros cannot pass.

import Testing
@testable import AugurNN

private let tolerance = 1e-6

private func expectClose(_ analytic: [Double], _ numeric: [Double], _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let error = relativeError(analytic, numeric)
    #expect(norm(numeric) > 1e-4, "\(what): numeric gradient is ~0, the check would be vacuous",
            sourceLocation: sourceLocation)
    #expect(error < tolerance, "\(what): relative error \(error), worst |Δ| \(maxAbsDifference(analytic, numeric))",
            sourceLocation: sourceLocation)
}

@Test(arguments: CellKind.allCases)
func recurrentLayerGradients(kind: CellKind) throws {
    let I = 2, H = 3, L = 5, B = 3
    var rng = SeededGenerator(seed: 11)
    let layer = try RecurrentLayer<Double>(kind: kind, inputSize: I, hiddenSize: H, seed: 3)
    try layer.parameters.setTensorValues("bias", randomArray(layer.gateWidth, scale: 0.5, generator: &rng))
    var x = randomArray(L * B * I, generator: &rng)
    var h0 = randomArray(B * H, scale: 0.8, generator: &rng)
    var c0 = kind.hasCellState ? randomArray(B * H, scale: 0.8, generator: &rng) : []
    // L = Σ y ⊙ R + Σ h_L ⊙ Rh + Σ c_L ⊙ Rc: exercises dy and the gradient into the final state.
    let r = randomArray(L * B * H, generator: &rng)
    let rh = randomArray(B * H, generator: &rng)
    let rc = kind.hasCellState ? randomArray(B * H, generator: &rng) : []
    func loss(_ x: [Double], _ h0: [Double], _ c0: [Double]) throws -> Double {
        let (y, last) = try layer.forward(x, steps: L, batch: B,
                                          initialState: LayerState(batch: B, hiddenSize: H, h: h0, c: c0))
        return dot(y, r) + dot(last.h, rh) + (kind.hasCellState ? dot(last.c, rc) : 0)
    }
    _ = try loss(x, h0, c0)
    layer.parameters.zeroGradients()
    let (dx, dInitial) = try layer.backward(dy: r, dFinalState: LayerState(batch: B, hiddenSize: H, h: rh, c: rc))
    let numeric = try numericParameterGradients(layer.parameters) { try loss(x, h0, c0) }
    for t in layer.parameters.tensors {
        expectClose(layer.parameters.tensorGradients(t.name), numeric[t.name]!, "\(kind) \(t.name)")
    }
    let (h, c) = (h0, c0)
    expectClose(dx, try numericArrayGradient(&x) { try loss($0, h, c) }, "\(kind) dx")
    let (xx, cc) = (x, c0)
    expectClose(dInitial.h, try numericArrayGradient(&h0) { try loss(xx, $0, cc) }, "\(kind) dh0")
    if kind.hasCellState {
        let hh = h0
        expectClose(dInitial.c, try numericArrayGradient(&c0) { try loss(xx, hh, $0) }, "\(kind) dc0")
    }
}

@Test func denseLayerGradients() throws {
    let N = 15, In = 4, O = 3
    var rng = SeededGenerator(seed: 5)
    let dense = try DenseLayer<Double>(inputSize: In, outputSize: O, seed: 9)
    try dense.parameters.setTensorValues("bias", randomArray(O, generator: &rng))
    var x = randomArray(N * In, generator: &rng)
    let r = randomArray(N * O, generator: &rng)
    func loss(_ x: [Double]) throws -> Double { dot(try dense.forward(x, rows: N), r) }
    _ = try loss(x)
    dense.parameters.zeroGradients()
    let dx = try dense.backward(dy: r)
    let numeric = try numericParameterGradients(dense.parameters) { try loss(x) }
    for t in dense.parameters.tensors {
        expectClose(dense.parameters.tensorGradients(t.name), numeric[t.name]!, "dense \(t.name)")
    }
    expectClose(dx, try numericArrayGradient(&x, loss: loss), "dense dx")
}

@Test(arguments: CellKind.allCases)
func twoLayerStackGradients(kind: CellKind) throws {
    let I = 2, H = 3, O = 2, L = 5, B = 3
    var rng = SeededGenerator(seed: 21)
    let model = try SequenceModel<Double>(configuration: .init(cell: kind, inputSize: I, hiddenSize: H, layers: 2,
                                                               outputSize: O), seed: 4)
    for layer in model.layers {
        try layer.parameters.setTensorValues("bias", randomArray(layer.gateWidth, scale: 0.5, generator: &rng))
    }
    let x = randomArray(L * B * I, generator: &rng)
    var initial = model.zeroState(batch: B)
    var flatState: [Double] = []
    for l in 0..<2 {
        initial.layers[l].h = randomArray(B * H, scale: 0.8, generator: &rng)
        if kind.hasCellState { initial.layers[l].c = randomArray(B * H, scale: 0.8, generator: &rng) }
        flatState += initial.layers[l].h + initial.layers[l].c
    }
    let r = randomArray(L * B * O, generator: &rng)
    let rState = randomArray(flatState.count, generator: &rng)
    func unflatten(_ flat: [Double]) -> RecurrentState<Double> {
        var s = initial, k = 0
        for l in 0..<2 {
            s.layers[l].h = Array(flat[k..<(k + B * H)]); k += B * H
            if kind.hasCellState { s.layers[l].c = Array(flat[k..<(k + B * H)]); k += B * H }
        }
        return s
    }
    func flatten(_ s: RecurrentState<Double>) -> [Double] { s.layers.flatMap { $0.h + $0.c } }
    func loss(_ state: [Double]) throws -> Double {
        let (y, last) = try model.forward(x, steps: L, batch: B, state: unflatten(state), training: true)
        return dot(y, r) + dot(flatten(last), rState)
    }
    _ = try loss(flatState)
    model.zeroGradients()
    let dInitial = try model.backward(dy: r, dFinalState: unflatten(rState))
    for (b, buffer) in model.parameterBuffers.enumerated() {
        let numeric = try numericParameterGradients(buffer) { try loss(flatState) }
        for t in buffer.tensors {
            expectClose(buffer.tensorGradients(t.name), numeric[t.name]!, "\(kind) stack block \(b) \(t.name)")
        }
    }
    expectClose(flatten(dInitial), try numericArrayGradient(&flatState, loss: loss), "\(kind) stack initial state")
}
