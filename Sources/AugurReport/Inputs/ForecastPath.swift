import AugurCore

/// A forecast from one origin: the path ahead with its 80% and 95% intervals.
public struct ForecastPath: Sendable, Equatable {
    /// The date of the last observation the model saw.
    public var origin: CivilDate
    /// Steps ahead in order (horizon 1 first).
    public var rows: [ForecastRow]

    public init(origin: CivilDate, rows: [ForecastRow]) {
        self.origin = origin
        self.rows = rows
    }
}

/// One step of a forecast. Interval bounds are optional (a model may give none, or only one level);
/// a band is drawn only where both its bounds are present.
public struct ForecastRow: Sendable, Equatable {
    public var target: CivilDate
    public var point: Double
    public var lower80: Double?
    public var upper80: Double?
    public var lower95: Double?
    public var upper95: Double?

    public init(target: CivilDate, point: Double, lower80: Double? = nil, upper80: Double? = nil,
                lower95: Double? = nil, upper95: Double? = nil) {
        self.target = target
        self.point = point
        self.lower80 = lower80
        self.upper80 = upper80
        self.lower95 = lower95
        self.upper95 = upper95
    }
}
