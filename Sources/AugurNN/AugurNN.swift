// AugurNN: the numerical core of Augur; imports no other Augur module. Recurrent layers (LSTM, GRU, Elman RNN), a dense head,
// losses, Adam, gradient clipping, initialisation and parameter serialisation: arrays in, arrays
// out, no I/O. One readable reference path (generic, Double for gradient checks) and one fast
// Float path (SIMD kernels) share the same layer code; only the kernels differ (see NNScalar).
//
// Shape legend used in every file of this module:
//   B = batch (independent streams), L = time steps in a window, I = input features,
//   H = hidden units, K = I + H (the fused [x | h] row), G = gate width (4H LSTM, 3H GRU, H RNN),
//   O = output features.
// Sequences are time-major: x is (L, B, I), y is (L, B, O); a per-layer state h or c is (B, H).
// Matrices are row-major Swift arrays; a weight W is (K, G) so that pre = [x | h] · W + b.

/// Errors a caller can trigger (bad configuration, mismatched shapes, corrupt parameter blobs).
public enum NNError: Error, CustomStringConvertible, Equatable {
    /// A configuration value is out of range (e.g. hidden size 0, dropout 1.5).
    case invalidConfiguration(String)
    /// An input array does not have the size its stated dimensions imply.
    case shapeMismatch(what: String, expected: Int, actual: Int)
    /// The blob is shorter than its header or tensor table says.
    case truncatedBlob(needed: Int, available: Int)
    /// The blob does not start with the Augur parameter magic.
    case badMagic
    /// The blob was written by an unknown format version.
    case unsupportedVersion(UInt32)
    /// The blob's tensors do not match the model's tensors (name or shape).
    case tensorMismatch(String)
    /// Bytes left over after the last tensor.
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): return "invalid network configuration: \(why)"
        case .shapeMismatch(let what, let expected, let actual):
            return "shape mismatch for \(what): expected \(expected) values, got \(actual)"
        case .truncatedBlob(let needed, let available):
            return "parameter blob truncated: needed \(needed) bytes, only \(available) available"
        case .badMagic: return "not an Augur parameter blob (bad magic bytes)"
        case .unsupportedVersion(let v): return "unsupported parameter blob version \(v)"
        case .tensorMismatch(let why): return "parameter blob does not match the model: \(why)"
        case .trailingBytes(let n): return "parameter blob has \(n) unexpected trailing bytes"
        }
    }
}
