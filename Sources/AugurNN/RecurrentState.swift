// The state a recurrent network carries between windows: per layer, h and (LSTM) c, each (B, H)
// row-major, so that one row is one stream's state. These plain arrays are what the store saves.

/// The state of one recurrent layer for B streams.
public struct LayerState<Scalar: NNScalar>: Sendable, Equatable {
    public var batch: Int
    public var hiddenSize: Int
    /// h, (B, H) row-major.
    public var h: [Scalar]
    /// c, (B, H) row-major for LSTM; empty for GRU and RNN.
    public var c: [Scalar]

    /// The zero state.
    public init(batch: Int, hiddenSize: Int, hasCellState: Bool) {
        self.batch = batch
        self.hiddenSize = hiddenSize
        h = [Scalar](repeating: 0, count: batch * hiddenSize)
        c = hasCellState ? [Scalar](repeating: 0, count: batch * hiddenSize) : []
    }

    /// A state from values; throws when the arrays do not match (B, H).
    public init(batch: Int, hiddenSize: Int, h: [Scalar], c: [Scalar]) throws {
        guard h.count == batch * hiddenSize else {
            throw NNError.shapeMismatch(what: "state h", expected: batch * hiddenSize, actual: h.count)
        }
        guard c.isEmpty || c.count == batch * hiddenSize else {
            throw NNError.shapeMismatch(what: "state c", expected: batch * hiddenSize, actual: c.count)
        }
        self.batch = batch; self.hiddenSize = hiddenSize; self.h = h; self.c = c
    }

    public var hasCellState: Bool { !c.isEmpty }

    /// Stream `row`'s state as a batch-of-one state.
    public func row(_ row: Int) -> LayerState<Scalar> {
        precondition(row >= 0 && row < batch, "state row out of range")
        let range = row * hiddenSize..<(row + 1) * hiddenSize
        var s = LayerState(batch: 1, hiddenSize: hiddenSize, hasCellState: hasCellState)
        s.h = Array(h[range])
        if hasCellState { s.c = Array(c[range]) }
        return s
    }

    /// Overwrites stream `row` with a batch-of-one state.
    public mutating func setRow(_ row: Int, from single: LayerState<Scalar>) {
        precondition(row >= 0 && row < batch && single.batch == 1 && single.hiddenSize == hiddenSize,
                     "setRow: incompatible state")
        let range = row * hiddenSize..<(row + 1) * hiddenSize
        h.replaceSubrange(range, with: single.h)
        if hasCellState { c.replaceSubrange(range, with: single.c) }
    }
}

/// The state of a stack of recurrent layers: `layers[0]` is the bottom layer.
public struct RecurrentState<Scalar: NNScalar>: Sendable, Equatable {
    public var layers: [LayerState<Scalar>]

    public init(layers: [LayerState<Scalar>]) { self.layers = layers }

    public var batch: Int { layers.first?.batch ?? 0 }

    /// Stream `row`'s state in every layer, as a batch-of-one state.
    public func row(_ row: Int) -> RecurrentState<Scalar> { RecurrentState(layers: layers.map { $0.row(row) }) }

    /// Overwrites stream `row` in every layer.
    public mutating func setRow(_ row: Int, from single: RecurrentState<Scalar>) {
        precondition(single.layers.count == layers.count, "setRow: layer count differs")
        for l in layers.indices { layers[l].setRow(row, from: single.layers[l]) }
    }
}
