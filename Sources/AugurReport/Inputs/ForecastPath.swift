import AugurCore

/// A forecast from one origin: the path ahead with its 80% and 95% intervals.
public struct ForecastPath: Sendable, Equatable {
    /// The date of the last observation the model saw.
    public var origin: CivilDate
    /// Steps ahead in order (horizon 1 first).
    public var rows: [ForecastStep]

    public init(origin: CivilDate, rows: [ForecastStep]) {
        self.origin = origin
        self.rows = rows
    }
}

