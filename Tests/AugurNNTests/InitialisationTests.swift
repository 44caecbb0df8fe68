// Initialisation: same seed → same weights; Keras's recipe (Glorot bound, orthogonal recurrent
// kernel, forget-gate bias 1); the generator is our own and stable.

import Testing
@testable import AugurNN

@Test func sameSeedGivesSameWeights() throws {
    let config = SequenceModelConfiguration(cell: .lstm, inputSize: 2, hiddenSize: 16, layers: 2, outputSize: 1)
    let a = try SequenceModel<Float>(configuration: config, seed: 42)
    let b = try SequenceModel<Float>(configuration: config, seed: 42)
    let c = try SequenceModel<Float>(configuration: config, seed: 43)
    let flat = { (m: SequenceModel<Float>) in m.parameterBuffers.flatMap(\.flatValues) }
    #expect(flat(a) == flat(b))
    #expect(flat(a) != flat(c))
}

@Test func generatorIsStableAcrossRuns() {
    var g = SeededGenerator(seed: 0)
    // Pinned values: a change of algorithm would silently change every stored model's weights.
    // (Reference values from an independent Python transcription of SplitMix64 + xoshiro256**.)
    let first = (0..<3).map { _ in g.next() }
    #expect(first == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768])
    var p = SeededGenerator(seed: 7)
    let perm = p.permutation(100)
    #expect(perm.sorted() == Array(0..<100) && perm != Array(0..<100))
}

@Test func kerasInitialisationRecipe() throws {
    let H = 8, I = 3
    let layer = try RecurrentLayer<Double>(kind: .lstm, inputSize: I, hiddenSize: H, seed: 5)
    let limit = (6.0 / Double(I + 4 * H)).squareRoot()
    let kernel = layer.parameters.tensorValues("kernel")
    #expect(kernel.allSatisfy { abs($0) <= limit } && kernel.contains { abs($0) > limit / 2 })
    // Recurrent kernel (H, 4H) has orthonormal rows: U Uᵀ = I.
    let u = layer.parameters.tensorValues("recurrent_kernel")
    for a in 0..<H {
        for b in 0..<H {
            let d = (0..<(4 * H)).reduce(0.0) { $0 + u[a * 4 * H + $1] * u[b * 4 * H + $1] }
            #expect(abs(d - (a == b ? 1 : 0)) < 1e-12)
        }
    }
    let bias = layer.parameters.tensorValues("bias")
    #expect(bias == (0..<(4 * H)).map { $0 >= H && $0 < 2 * H ? 1.0 : 0.0 })
}
