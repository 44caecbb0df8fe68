// The single-step inference path: advance B streams by one observation and predict the next,
// reusing the forward caches (sized once for the largest B seen), so that a daily update or a
// recursive forecast allocates nothing per call.

extension SequenceModel {
    /// Advances every stream by one step: x (B, I) in, prediction (B, O) into `output`, `state`
    /// updated in place to the state after x. B is `state.batch`; no training caches are used.
    ///
    /// ```swift
    /// var state = model.zeroState(batch: 500)
    /// var next = [Float](repeating: 0, count: 500)
    /// for t in 0..<256 { try model.step(history[t], state: &state, output: &next) }  // warm
    /// try model.step(today, state: &state, output: &next)                           // forecast
    /// ```
    @_specialize(exported: true, where Scalar == Float)
    public func step(_ x: [Scalar], state: inout RecurrentState<Scalar>, output: inout [Scalar]) throws {
        let B = state.batch, I = configuration.inputSize, O = configuration.outputSize
        guard x.count == B * I else { throw NNError.shapeMismatch(what: "step input x (B, I)", expected: B * I, actual: x.count) }
        guard output.count == B * O else {
            throw NNError.shapeMismatch(what: "step output (B, O)", expected: B * O, actual: output.count)
        }
        guard state.layers.count == layers.count else {
            throw NNError.shapeMismatch(what: "state layers", expected: layers.count, actual: state.layers.count)
        }
        for (l, layer) in layers.enumerated() { try layer.checkState(state.layers[l], batch: B, what: "layer \(l) state") }
        x.withUnsafeBufferPointer { xp in
            output.withUnsafeMutableBufferPointer { out in
                stepUnchecked(x: xp.baseAddress!, state: &state, output: out.baseAddress!)
            }
        }
    }

    /// `step` without validation: x (B, I), output (B, O).
    func stepUnchecked(x: UnsafePointer<Scalar>, state: inout RecurrentState<Scalar>,
                       output: UnsafeMutablePointer<Scalar>) {
        let B = state.batch, O = configuration.outputSize
        var input = x
        for (l, layer) in layers.enumerated() {
            layer.prepare(steps: 1, batch: B)
            let hasCell = layer.kind.hasCellState
            // Move the arrays out (no copy, no allocation) so both can be borrowed at once.
            var h: [Scalar] = [], c: [Scalar] = []
            swap(&h, &state.layers[l].h)
            swap(&c, &state.layers[l].c)
            h.withUnsafeMutableBufferPointer { h in
                c.withUnsafeMutableBufferPointer { c in
                    // The new state (h_1 = output[0], c_1 = cells[1]) is written in place by each chunk.
                    layer.forwardWindow(x: input, h0: h.baseAddress!, c0: hasCell ? c.baseAddress! : nil,
                                        finalState: (h.baseAddress!, hasCell ? c.baseAddress! : nil))
                }
            }
            swap(&h, &state.layers[l].h)
            swap(&c, &state.layers[l].c)
            input = UnsafePointer(layer.output.pointer)
        }
        head.forward(input: input, rows: B)
        output.update(from: head.output.pointer, count: B * O)
    }
}
