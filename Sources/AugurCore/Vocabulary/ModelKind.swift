/// Every model Augur can fit, by the name users type and the store keeps.
///
/// This is the vocabulary only, so that every layer (the store's columns, the reports' rows, the
/// forecasting core) speaks of models by type. What each model *is* (neural or not, its defaults,
/// how to build it) is its entry in AugurForecast's registry, `ModelKind.entry`. Adding a model is
/// one file for the model, one case here and its entry there (the compiler asks for the entry).
public enum ModelKind: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable, Comparable, CustomStringConvertible {
    case lstm
    case gru
    case rnn
    case seq2seq
    case naive
    case drift
    case snaive
    case mean
    case ses
    case holt
    case theta
    case autoets
    case autoarima
    /// Per horizon, the model or combination that validation inside the history shows best.
    case auto

    /// The name users type and the store keeps: `lstm`, `naive`, …
    public var name: String { rawValue }
    public var description: String { rawValue }

    /// The model called `name` (any case); an unknown name is a user error that lists the known ones.
    public init(name: String) throws(UnknownName) {
        let key = String(name.lowercased().drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard let kind = ModelKind(rawValue: key) else {
            throw UnknownName(what: "model", name: name, known: ModelKind.allCases.map(\.rawValue))
        }
        self = kind
    }

    /// Declaration order: the order of tables and legends when nothing else decides.
    public static func < (a: ModelKind, b: ModelKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How batches relate across a training epoch of a recurrent model.
public enum TrainingMode: String, CaseIterable, Codable, Sendable {
    /// Contiguous batches, state carried from batch to batch, reset each epoch (truncated BPTT).
    case stateful
    /// The same windows shuffled each epoch, zero state for every batch.
    case stateless

    /// How a model's mode reads in tables and in the store: the encoder-decoder (no mode) is
    /// `encoder-decoder`.
    public static func label(_ mode: TrainingMode?) -> String { mode?.rawValue ?? encoderDecoderLabel }

    /// The inverse of `label`: nil for `encoder-decoder`; an unknown label throws.
    public static func parse(label: String) throws(UnknownName) -> TrainingMode? {
        if label == encoderDecoderLabel { return nil }
        guard let m = TrainingMode(rawValue: label) else {
            throw UnknownName(what: "training mode", name: label,
                              known: allCases.map(\.rawValue) + [encoderDecoderLabel])
        }
        return m
    }

    static let encoderDecoderLabel = "encoder-decoder"
}

/// A name that is not one of the known ones (a model, a metric, a mode): the user's error.
public struct UnknownName: Error, Equatable, Sendable, CustomStringConvertible, ClassifiedError {
    public var what: String
    public var name: String
    public var known: [String]

    public init(what: String, name: String, known: [String]) {
        self.what = what
        self.name = name
        self.known = known
    }

    public var description: String { "unknown \(what) '\(name)'; known: \(known.joined(separator: ", "))" }
    public var blame: Blame { .user }
}
