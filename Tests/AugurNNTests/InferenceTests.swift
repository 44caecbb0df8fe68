// The single-step path, per-stream state handling and batch-size independence.

import Testing
@testable import AugurNN

/// One batch of 5 streams on one thread, and one of 48 on two threads (each thread steps its own
/// rows and writes their new state in place), on every kernel: the single step reads the weights
/// in place, the window reads them panel-packed, and both give the same bits.
@Test(arguments: [CellKind.lstm, .gru, .rnn], [(5, 1), (48, 2)])
func stepMatchesWindowForward(kind: CellKind, batch: (Int, Int)) throws {
    let L = 7, I = 2, H = 16, (B, threads) = batch
    for kernel in Kernel.available {
    let model = try SequenceModel<Float>(configuration: .init(cell: kind, inputSize: I, hiddenSize: H, layers: 2,
                                                              outputSize: 1), seed: 3)
    model.threads = threads
    model.kernel = kernel
    var rng = SeededGenerator(seed: 1)
    let x = randomArray(L * B * I, generator: &rng).map { Float($0) }
    let (y, final) = try model.forward(x, steps: L, batch: B, state: nil, training: false)
    var state = model.zeroState(batch: B)
    var out = [Float](repeating: 0, count: B)
    var stepped: [Float] = []
    for t in 0..<L {
        try model.step(Array(x[(t * B * I)..<((t + 1) * B * I)]), state: &state, output: &out)
        stepped += out
    }
    #expect(maxAbsDifference(stepped.map { Double($0) }, y.map { Double($0) }) < 1e-5, "\(kernel)")
    #expect(state.layers.map(\.h) == final.layers.map(\.h), "\(kernel)")
    #expect(state.layers.map(\.c) == final.layers.map(\.c), "\(kernel)")
    }
}

@Test func streamsAreIndependentAndStatesMoveByRow() throws {
    // Running stream 2 alone (batch of one, its own state row) gives the same output as running
    // it inside a batch of 4: weights do not depend on B, a state row belongs to one stream.
    let model = try SequenceModel<Float>(configuration: .init(cell: .lstm, inputSize: 1, hiddenSize: 8), seed: 5)
    var rng = SeededGenerator(seed: 9)
    let B = 4, L = 6
    let x = randomArray(L * B, generator: &rng).map { Float($0) }
    let (y, final) = try model.forward(x, steps: L, batch: B, state: nil, training: false)
    let single = (0..<L).map { x[$0 * B + 2] }
    let (y1, final1) = try model.forward(single, steps: L, batch: 1, state: nil, training: false)
    #expect(maxAbsDifference(y1.map { Double($0) }, (0..<L).map { Double(y[$0 * B + 2]) }) < 1e-6)
    #expect(maxAbsDifference(final.row(2).layers[0].c.map { Double($0) }, final1.layers[0].c.map { Double($0) }) < 1e-6)
    var merged = model.zeroState(batch: B)
    merged.setRow(1, from: final1)
    #expect(merged.row(1) == final1 && merged.row(0) == model.zeroState(batch: 1))
}

@Test func dropoutActsOnlyInTraining() throws {
    let config = SequenceModelConfiguration(cell: .lstm, inputSize: 1, hiddenSize: 16, layers: 2, dropout: 0.5)
    let model = try SequenceModel<Float>(configuration: config, seed: 1)
    let plain = try SequenceModel<Float>(configuration: .init(cell: .lstm, inputSize: 1, hiddenSize: 16, layers: 2),
                                         seed: 1)
    let x: [Float] = (0..<(8 * 3)).map { Float($0 % 5) / 5 }
    let evaluation = try model.forward(x, steps: 8, batch: 3, state: nil, training: false).y
    #expect(evaluation == (try plain.forward(x, steps: 8, batch: 3, state: nil, training: false).y))
    let training = try model.forward(x, steps: 8, batch: 3, state: nil, training: true).y
    #expect(training != evaluation)
}

@Test func badShapesThrowInsteadOfCrashing() throws {
    let model = try SequenceModel<Float>(configuration: .init(hiddenSize: 4), seed: 1)
    #expect(throws: NNError.self) { _ = try model.forward([1, 2, 3], steps: 2, batch: 2, state: nil, training: false) }
    #expect(throws: NNError.self) { try model.backward(dy: [1]) }
    var state = model.zeroState(batch: 3)
    var out = [Float](repeating: 0, count: 2)
    #expect(throws: NNError.self) { try model.step([1, 2, 3], state: &state, output: &out) }
    #expect(throws: NNError.self) { _ = try SequenceModel<Float>(configuration: .init(hiddenSize: 0), seed: 1) }
    #expect(throws: NNError.self) { _ = try SequenceModel<Float>(configuration: .init(hiddenSize: 4, dropout: 1), seed: 1) }
}
