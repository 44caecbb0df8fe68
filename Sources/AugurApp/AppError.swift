// AugurApp: the use cases the CLI calls (import, list, show, export, train, compare-modes,
// forecast, backtest, daily, report, bench), each a plain function over the store and the
// libraries, so that everything the CLI does is reachable from tests. Nothing here prints: results
// are values. May import AugurCore, AugurIngest, AugurStore, AugurNN, AugurForecast, AugurReport.
import AugurCore

/// Errors of the use cases themselves; the libraries' own typed errors pass through unchanged.
public enum AppError: Error, CustomStringConvertible, Sendable, ClassifiedError {
    /// Bad input the user can fix: a file, a symbol, data no model can use (exit 1).
    case invalid(String)
    case notFound(String)
    case internalFailure(String)
    /// An encoder-decoder asked for more steps than it was trained to emit (it would decode past them
    /// untrained).
    case horizonBeyondTraining(modelID: Int64, trained: Int, asked: Int)

    public var description: String {
        switch self {
        case .invalid(let s), .notFound(let s): return s
        case .internalFailure(let s): return "internal error: \(s)"
        case .horizonBeyondTraining(let id, let trained, let asked):
            return "model \(id) was trained to forecast \(trained) steps, not \(asked)"
        }
    }

    public var blame: Blame {
        if case .internalFailure = self { return .internal }
        return .user
    }
}

/// Where the database lives: `--db`, else `$AUGUR_DB`, else `data/augur.sqlite`.
public enum DatabaseLocation {
    public static let defaultPath = "data/augur.sqlite"

    public static func resolve(_ explicit: String?, environment: [String: String]) -> String {
        // (Surrounding white space is dropped: a URL read from a file or a Secret often ends in a newline.)
        if let explicit = explicit?.trimmingCharacters(in: .whitespacesAndNewlines), !explicit.isEmpty { return explicit }
        if let env = environment["AUGUR_DB"]?.trimmingCharacters(in: .whitespacesAndNewlines), !env.isEmpty { return env }
        return defaultPath
    }
}
