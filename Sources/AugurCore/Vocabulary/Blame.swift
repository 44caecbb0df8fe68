/// Whose fault an error is: the user's (bad input, an unknown name, a series too short; the CLI
/// exits 1) or Augur's own (a bug, a damaged database, a failed disk; exit 2).
public enum Blame: Sendable, Equatable {
    case user
    case `internal`
}

/// An error that says whose fault it is. Every error type of Augur's libraries conforms; an error
/// that does not (a foreign one that escaped) counts as internal.
public protocol ClassifiedError: Error {
    var blame: Blame { get }
}

extension Blame {
    /// The blame of any error: its own when it classifies itself, else internal.
    public static func of(_ error: any Error) -> Blame {
        (error as? any ClassifiedError)?.blame ?? .internal
    }
}
