// The Float fast path (the C kernels: gemm, rational tanh/σ, the LSTM gate math) against the
// Double reference path, once for every kernel this CPU runs (AVX-512, AVX2, generic).
// Tolerances: the kernels themselves agree to ~1e-6 relative (Float rounding over K ≤ 100 terms);
// a whole forward/backward through L = 6 steps agrees to 1e-4 tensor-wise relative error.

import Testing
@testable import AugurNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Test(arguments: Kernel.available)
func rationalTanhAndSigmoidMatchLibm(kernel: Kernel) {
    // 24001 points: a count that is no multiple of any kernel's lanes, so the partial last vector runs too.
    let x = (0...24_000).map { Float(-12 + Double($0) * 0.001) }
    let tanhs = kernel.tanh(x), sigmoids = kernel.sigmoid(x)
    var worstTanh: Float = 0, worstSigmoid: Float = 0
    for (k, v) in x.enumerated() {
        worstTanh = max(worstTanh, abs(tanhs[k] - tanhf(v)))
        worstSigmoid = max(worstSigmoid, abs(sigmoids[k] - 1 / (1 + expf(-v))))
    }
    #expect(worstTanh < 2e-6, "\(kernel): worst |tanh − tanhf| = \(worstTanh)")
    #expect(worstSigmoid < 1e-6, "\(kernel): worst |σ − 1/(1+e^−x)| = \(worstSigmoid)")
}

@Test func everyCPUHasTheGenericKernelAndTheBestIsFirst() throws {
    #expect(Kernel.available.last == .generic)
    #expect(Kernel.best == Kernel.available[0])
    #expect(try Kernel.resolve(nil) == Kernel.best)
    #expect(try Kernel.resolve("GENERIC") == .generic)
    #expect(throws: Kernel.SelectionError.unknown("sse9")) { try Kernel.resolve("sse9") }
    for kernel in Kernel.allCases where !Kernel.available.contains(kernel) {
        #expect(throws: Kernel.SelectionError.unsupported(kernel, available: Kernel.available)) {
            try Kernel.resolve(kernel.rawValue)
        }
    }
}

/// Every gemm mode and awkward shape (row and column tails of every tile size, transposed A, a
/// column vector B, k long enough to be sliced) against the reference, on every kernel.
@Test(arguments: Kernel.available, [(1, 1, 1), (7, 33, 5), (8, 16, 40), (13, 48, 33), (6, 16, 128), (32, 32, 300),
                                    (33, 40, 70), (64, 128, 33), (25, 71, 17), (14, 1, 64), (3, 8, 600), (40, 4, 2)])
func kernelGemmMatchesReference(kernel: Kernel, shape: (Int, Int, Int)) {
    let (m, n, k) = shape
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
                                                           c: c, cRowStride: n, initial: initial, threads: threads,
                                                           kernel: kernel)
                                    if panelB && useSIMD {
                                        op.b = UnsafePointer(bPanels)
                                        op.bRowStride = 16
                                        op.bPanelStride = k * 16
                                    }
                                    if useSIMD { kernelGemm(op) } else { referenceGemm(op) }
                                }
                                if target == 0 { fast.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
                                else { slow.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
                            }
                        }
                    }
                }
                let error = relativeError(fast.map { Double($0) }, slow.map { Double($0) })
                #expect(error < 1e-6, """
                    \(kernel) m \(m) n \(n) k \(k) mode \(mode) transposed \(transposedA) panels \(panelB): \(error)
                    """)
            }
        }
    }
    }
}

/// A Float model and a Double model holding the same weights: outputs, final states, every
/// parameter gradient and the initial-state gradient agree to 1e-4 relative.
@Test(arguments: Kernel.available, [(CellKind.lstm, 16, 1), (.lstm, 32, 2), (.lstm, 20, 1), (.lstm, 36, 2),
                                    (.lstm, 5, 1), (.lstm, 48, 2), (.gru, 16, 2), (.rnn, 8, 1), (.rnn, 5, 2)])
func floatPathMatchesDoubleReference(kernel: Kernel, cell: (CellKind, Int, Int)) throws {
    let (kind, hidden, threads) = cell
    let I = 3, O = 2, L = 6, B = 19
    let config = SequenceModelConfiguration(cell: kind, inputSize: I, hiddenSize: hidden, layers: 2, outputSize: O)
    let fast = try SequenceModel<Float>(configuration: config, seed: 8)
    fast.threads = threads
    fast.kernel = kernel
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
