/// One step of a dated forecast with its 80% and 95% bounds: what `augur forecast` prints, the
/// store's `forecasts` table keeps and a report draws. Bounds are optional (a model may give none).
public struct ForecastStep: Sendable, Equatable, Codable {
    public var date: CivilDate
    /// Steps after the origin, 1-based.
    public var horizon: Int
    public var point: Double
    public var lower80: Double?
    public var upper80: Double?
    public var lower95: Double?
    public var upper95: Double?

    public init(date: CivilDate, horizon: Int, point: Double, lower80: Double? = nil, upper80: Double? = nil,
                lower95: Double? = nil, upper95: Double? = nil) {
        self.date = date
        self.horizon = horizon
        self.point = point
        self.lower80 = lower80
        self.upper80 = upper80
        self.lower95 = lower95
        self.upper95 = upper95
    }

    private enum CodingKeys: String, CodingKey {
        case date, horizon, point = "forecast", lower80, upper80, lower95, upper95
    }
}

/// One forecast run: a model's steps for a symbol from one origin.
public struct ForecastRun: Sendable, Equatable, Codable {
    public var symbol: String
    public var model: ModelKind
    /// The stored model behind it, when there is one.
    public var modelID: Int64?
    /// The date of the last observation the model saw.
    public var asOf: CivilDate
    public var steps: [ForecastStep]
    /// The fitted form and parameters of a model that chooses among forms, e.g.
    /// `ARIMA(2,1,1)(0,1,0)[12] ar=0.596,0.214 ma=-0.982, AICc 1018.2`; nil for the others.
    public var fitted: String?
    /// `HistoryDigest` of the bars a model fitted on the spot saw (nil for neural forecasts, whose
    /// states carry their own): a corrected bar makes the stored forecast stale.
    public var digest: String?

    public init(symbol: String, model: ModelKind, modelID: Int64?, asOf: CivilDate, steps: [ForecastStep],
                fitted: String? = nil, digest: String? = nil) {
        self.symbol = symbol
        self.model = model
        self.modelID = modelID
        self.asOf = asOf
        self.steps = steps
        self.fitted = fitted
        self.digest = digest
    }
}
