// The Float fast path (SIMD gemm, rational tanh/σ) against the Double reference path.
// Tolerances: the kernels themselves agree to ~1e-6 relative (Float rounding over K ≤ 100 terms);
// a whole forward/backward through L = 6 steps agrees to 1e-4 tensor-wise relative error.

import Testing
@testable import AugurNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Test func fastTanhAndSigmoidMatchLibm() {
    var worstTanh: Float = 0, worstSigmoid: Float = 0
    var x: Float = -12
    while x <= 12 {
        let v = SIMD8<Float>(repeating: x)
        worstTanh = max(worstTanh, abs(fastTanh(v)[0] - tanhf(x)))
        worstSigmoid = max(worstSigmoid, abs(fastSigmoid(v)[0] - 1 / (1 + expf(-x))))
        x += 0.001
    }
    #expect(worstTanh < 2e-6, "worst |fastTanh − tanhf| = \(worstTanh)")
    #expect(worstSigmoid < 1e-6, "worst |fastSigmoid − σ| = \(worstSigmoid)")
}

/// Every gemm mode and awkward shape (row/column tails, transposed A) against the reference.
@Test(arguments: [(1, 1, 1), (7, 33, 5), (8, 16, 40), (13, 48, 33), (6, 16, 128), (32, 32, 300), (33, 40, 70), (64, 128, 33)])
func simdGemmMatchesReference(m: Int, n: Int, k: Int) {
    var rng = SeededGenerator(seed: UInt64(m * 1000 + n * 10 + k))
    let a = randomArray(m * k, generator: &rng).map { Float($0) }
    let b = randomArray(k * n, generator: &rng).map { Float($0) }
    let bias = randomArray(n, generator: &rng).map { Float($0) }
    let c0 = randomArray(m * n, generator: &rng).map { Float($0) }
    // B again in panels of 16 columns (each panel's k rows contiguous, the last zero-padded).
    let panels = (n + 15) / 16
    let bPanels = UnsafeMutablePointer<Float>.allocate(capacity: panels * k * 16)
    bPanels.initialize(repeating: 0, count: panels * k * 16)
    defer { bPanels.deallocate() }
    for p in 0..<k { for j in 0..<n { bPanels[(j / 16) * k * 16 + p * 16 + j % 16] = b[p * n + j] } }
    for panelB in [false, true] {
    for transposedA in [false, true] {
        for mode in 0..<3 {
            for threads in [1, 2] {
                var fast = c0, slow = c0
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        bias.withUnsafeBufferPointer { biasp in
                            let initial: GemmInitial<Float> = mode == 0 ? .accumulate : mode == 1 ? .overwrite
                                : .bias(biasp.baseAddress!)
                            // transposed: A stored (k, m), read as its transpose.
                            let (rs, cs) = transposedA ? (1, m) : (k, 1)
                            for (target, useSIMD) in [(0, true), (1, false)] {
                                let run = { (c: UnsafeMutablePointer<Float>) in
                                    var op = GemmOperation(m: m, n: n, k: k, a: ap.baseAddress!, aRowStride: rs,
                                                           aColumnStride: cs, b: bp.baseAddress!, bRowStride: n,
                                                           c: c, cRowStride: n, initial: initial, threads: threads)
                                    if panelB && useSIMD {
                                        op.b = UnsafePointer(bPanels)
                                        op.bRowStride = 16
                                        op.bPanelStride = k * 16
                                    }
                                    if useSIMD { simdGemm(op) } else { referenceGemm(op) }
                                }
                                if target == 0 { fast.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
                                else { slow.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
                            }
                        }
                    }
                }
                let error = relativeError(fast.map { Double($0) }, slow.map { Double($0) })
                #expect(error < 1e-6,
                        "m \(m) n \(n) k \(k) mode \(mode) transposed \(transposedA) panels \(panelB): \(error)")
            }
        }
    }
    }
}

/// A Float model and a Double model holding the same weights: outputs, final states, every
/// parameter gradient and the initial-state gradient agree to 1e-4 relative.
@Test(arguments: [(CellKind.lstm, 16, 1), (.lstm, 32, 2), (.lstm, 20, 1), (.lstm, 36, 2), (.gru, 16, 2), (.rnn, 8, 1),
                  (.rnn, 5, 2)])
func floatPathMatchesDoubleReference(kind: CellKind, hidden: Int, threads: Int) throws {
    let I = 3, O = 2, L = 6, B = 19
    let config = SequenceModelConfiguration(cell: kind, inputSize: I, hiddenSize: hidden, layers: 2, outputSize: O)
    let fast = try SequenceModel<Float>(configuration: config, seed: 8)
    fast.threads = threads
    let reference = try SequenceModel<Double>(configuration: config, seed: 8)
    for (f, d) in zip(fast.parameterBuffers, reference.parameterBuffers) {
        d.flatValues = f.flatValues.map { Double($0) }  // identical weights
    }
    var rng = SeededGenerator(seed: 3)
    let x = randomArray(L * B * I, generator: &rng)
    let dy = randomArray(L * B * O, generator: &rng)
    var state = reference.zeroState(batch: B)
    for l in state.layers.indices {
        state.layers[l].h = randomArray(B * hidden, scale: 0.5, generator: &rng)
        if kind.hasCellState { state.layers[l].c = randomArray(B * hidden, scale: 0.5, generator: &rng) }
    }
    let floatState = RecurrentState(layers: state.layers.map {
        try! LayerState(batch: B, hiddenSize: hidden, h: $0.h.map { Float($0) }, c: $0.c.map { Float($0) })
    })
    let (yd, lastD) = try reference.forward(x, steps: L, batch: B, state: state, training: true)
    let (yf, lastF) = try fast.forward(x.map { Float($0) }, steps: L, batch: B, state: floatState, training: true)
    #expect(relativeError(yd, yf.map { Double($0) }) < 1e-4)
    for l in 0..<2 {
        #expect(relativeError(lastD.layers[l].h, lastF.layers[l].h.map { Double($0) }) < 1e-4)
        #expect(relativeError(lastD.layers[l].c, lastF.layers[l].c.map { Double($0) }) < 1e-4)
    }
    reference.zeroGradients(); fast.zeroGradients()
    let dInitD = try reference.backward(dy: dy)
    let dInitF = try fast.backward(dy: dy.map { Float($0) })
    for (f, d) in zip(fast.parameterBuffers, reference.parameterBuffers) {
        for t in d.tensors {
            let error = relativeError(d.tensorGradients(t.name), f.tensorGradients(t.name).map { Double($0) })
            #expect(error < 1e-4, "\(kind) H \(hidden) \(t.name): \(error)")
        }
    }
    for l in 0..<2 {
        #expect(relativeError(dInitD.layers[l].h, dInitF.layers[l].h.map { Double($0) }) < 1e-4)
        #expect(relativeError(dInitD.layers[l].c, dInitF.layers[l].c.map { Double($0) }) < 1e-4)
    }
}

@Test func batchedGateActivationsMatchSeparateOnes() {
    var rng = SeededGenerator(seed: 4)
    var worst: Float = 0
    for _ in 0..<2000 {
        let v = (0..<4).map { _ in SIMD8<Float>((0..<8).map { _ in Float(rng.nextUniform(-12, 12)) }) }
        let (a, b, c, d) = fastGates(v[0], v[1], v[2], v[3])
        let expected = [fastSigmoid(v[0]), fastSigmoid(v[1]), fastTanh(v[2]), fastSigmoid(v[3])]
        for (got, want) in zip([a, b, c, d], expected) {
            for l in 0..<8 { worst = max(worst, abs(got[l] - want[l])) }
        }
    }
    #expect(worst < 1e-6, "worst difference \(worst)")
}
