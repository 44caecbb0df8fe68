// Which recurrence a RecurrentLayer runs, and the knobs that turn a cell into a test fixture
// (fixed gate values, linear activations: the "accumulator cell").

/// The recurrence of a `RecurrentLayer`.
///
/// - `lstm`: i, f, o = σ(·), g = tanh(·) from one fused product [x | h]·W + b, gate column order
///   i, f, g, o (as PyTorch); c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
/// - `gru`: z, r = σ([x | h]·W_zr + b_zr), h̃ = tanh([x | r ⊙ h]·W_h + b_h),
///   h_t = (1 − z) ⊙ h_{t−1} + z ⊙ h̃. Gate column order z, r, h̃. This is the Keras
///   (reset_after = false) convention: z weighs the *new* candidate. PyTorch writes
///   h_t = (1 − z) ⊙ h̃ + z ⊙ h_{t−1}, i.e. its z is our 1 − z, and it applies r after the
///   recurrent product (r ⊙ (U h + b)); weights are not interchangeable without conversion.
/// - `rnn`: the Elman cell h_t = tanh([x | h]·W + b).
public enum CellKind: String, Sendable, CaseIterable, Codable {
    case lstm, gru, rnn

    /// Gate blocks per hidden unit: the width G of W and b is `gateCount * H`.
    public var gateCount: Int {
        switch self {
        case .lstm: return 4
        case .gru: return 3
        case .rnn: return 1
        }
    }

    /// Whether the state carries a cell vector c besides h.
    public var hasCellState: Bool { self == .lstm }
}

/// An element-wise activation that a cell may use in place of tanh.
public enum Activation: String, Sendable, Codable {
    case tanh, linear
}

/// A gate that `CellOptions` may pin to a constant.
public enum Gate: String, Sendable, Codable, CaseIterable {
    /// LSTM gates.
    case input, forget, output
    /// GRU gates.
    case update, reset
}

/// Deviations from the standard cell, used to build analytic fixtures and tests.
///
/// The accumulator: an LSTM with input, forget and output gates fixed to 1, linear candidate
/// and linear cell output, candidate weights x → g identity, computes h_t = x_1 + … + x_t.
/// A GRU with r = z = 1 and a linear candidate h̃ = h_{t−1} + x_t computes the same sum.
public struct CellOptions: Sendable, Equatable {
    /// Gates pinned to a constant (the gate's pre-activation is ignored; its gradient is 0).
    public var fixedGates: [Gate: Double]
    /// Activation of the candidate (LSTM g, GRU h̃) or of the Elman cell.
    public var candidateActivation: Activation
    /// LSTM only: the activation applied to c_t in h_t = o ⊙ act(c_t).
    public var cellOutputActivation: Activation

    public init(fixedGates: [Gate: Double] = [:], candidateActivation: Activation = .tanh,
                cellOutputActivation: Activation = .tanh) {
        self.fixedGates = fixedGates
        self.candidateActivation = candidateActivation
        self.cellOutputActivation = cellOutputActivation
    }

    /// The standard cell: learned gates, tanh everywhere.
    public static let standard = CellOptions()

    /// True when nothing deviates from the standard cell (the fast kernels handle only this case).
    public var isStandard: Bool {
        fixedGates.isEmpty && candidateActivation == .tanh && cellOutputActivation == .tanh
    }
}
