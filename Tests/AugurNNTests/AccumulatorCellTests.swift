// The accumulator cell: with gates pinned and linear activations an LSTM or a GRU computes the
// running sum h_t = x_1 + … + x_t. It pins down which gate value means "remember": the forget
// gate must be 1 (keep c_{t−1}); a forget gate of 0 erases the memory (c_t = i ⊙ g = x_t).

import Testing
@testable import AugurNN

private let steps = 1_000

/// LSTM, I = H = 1: i = f = o = 1 (fixed), g = x_t (linear candidate, weight 1), h = o ⊙ c (linear).
private func accumulatorLSTM<S: NNScalar>(_: S.Type, forget: Double) throws -> RecurrentLayer<S> {
    let options = CellOptions(fixedGates: [.input: 1, .forget: forget, .output: 1],
                              candidateActivation: .linear, cellOutputActivation: .linear)
    let layer = try RecurrentLayer<S>(kind: .lstm, inputSize: 1, hiddenSize: 1, options: options, seed: 1)
    try layer.parameters.setTensorValues("kernel", [0, 0, 1, 0])           // [i f g o]: g = x_t
    try layer.parameters.setTensorValues("recurrent_kernel", [0, 0, 0, 0])
    try layer.parameters.setTensorValues("bias", [0, 0, 0, 0])
    return layer
}

/// GRU, I = H = 1: r = z = 1 (fixed), h̃ = x_t + r ⊙ h_{t−1} (linear, weights 1).
private func accumulatorGRU<S: NNScalar>(_: S.Type) throws -> RecurrentLayer<S> {
    let options = CellOptions(fixedGates: [.update: 1, .reset: 1], candidateActivation: .linear)
    let layer = try RecurrentLayer<S>(kind: .gru, inputSize: 1, hiddenSize: 1, options: options, seed: 1)
    try layer.parameters.setTensorValues("kernel", [0, 0, 1])              // [z r h̃]: x → h̃ weight 1
    try layer.parameters.setTensorValues("recurrent_kernel", [0, 0, 1])    // r ⊙ h → h̃ weight 1
    try layer.parameters.setTensorValues("bias", [0, 0, 0])
    return layer
}

private func inputsAndSums(batch: Int) -> (x: [Double], sums: [Double]) {
    var rng = SeededGenerator(seed: 99)
    let x = randomArray(steps * batch, generator: &rng)  // (L, B, 1)
    var sums = x
    for t in 1..<steps { for b in 0..<batch { sums[t * batch + b] += sums[(t - 1) * batch + b] } }
    return (x, sums)
}

@Test func lstmAccumulatorSumsItsInputsInDouble() throws {
    let (x, sums) = inputsAndSums(batch: 3)
    let (y, last) = try accumulatorLSTM(Double.self, forget: 1).forward(x, steps: steps, batch: 3, initialState: nil)
    #expect(maxAbsDifference(y, sums) < 1e-10)
    #expect(last.c == Array(sums.suffix(3)))
}

@Test func lstmAccumulatorSumsItsInputsInFloat() throws {
    let (x, sums) = inputsAndSums(batch: 3)
    let layer = try accumulatorLSTM(Float.self, forget: 1)
    let (y, _) = try layer.forward(x.map { Float($0) }, steps: steps, batch: 3, initialState: nil)
    // Float rounding of a 1,000-term running sum of values in [−1, 1]: |sum| ≲ 50, so ~1e-4.
    #expect(maxAbsDifference(y.map { Double($0) }, sums) < 1e-3)
}

@Test func gruAccumulatorSumsItsInputs() throws {
    let (x, sums) = inputsAndSums(batch: 3)
    let (y, _) = try accumulatorGRU(Double.self).forward(x, steps: steps, batch: 3, initialState: nil)
    #expect(maxAbsDifference(y, sums) < 1e-10)
    let (yf, _) = try accumulatorGRU(Float.self).forward(x.map { Float($0) }, steps: steps, batch: 3, initialState: nil)
    #expect(maxAbsDifference(yf.map { Double($0) }, sums) < 1e-3)
}

@Test func forgetGateZeroErasesTheMemory() throws {
    let (x, sums) = inputsAndSums(batch: 1)
    let (y, _) = try accumulatorLSTM(Double.self, forget: 0).forward(x, steps: steps, batch: 1, initialState: nil)
    // c_t = 0 ⊙ c_{t−1} + 1 ⊙ x_t: the cell only ever holds the latest input …
    #expect(y == x)
    // … so "forget gate 0 keeps the memory" is wrong: the output is nowhere near the running sum.
    #expect(maxAbsDifference(y, sums) > 1)
}

@Test func accumulatorCarriesStateAcrossWindows() throws {
    // Two windows of 500 with the final state handed over give the same sums as one window of
    // 1,000: the layer starts exactly from the state it is given.
    let (x, sums) = inputsAndSums(batch: 1)
    let layer = try accumulatorLSTM(Double.self, forget: 1)
    let (_, mid) = try layer.forward(Array(x[0..<500]), steps: 500, batch: 1, initialState: nil)
    let (y2, _) = try layer.forward(Array(x[500...]), steps: 500, batch: 1, initialState: mid)
    #expect(maxAbsDifference(y2, Array(sums[500...])) < 1e-10)
}
