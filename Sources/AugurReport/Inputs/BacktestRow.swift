/// One model's backtest scores at one horizon, as AugurForecast's `BacktestScore` reports them.
///
/// Any metric may be nil (undefined on the data, or not computed) and shows as "–". Units follow
/// `Metric`: MAE, RMSE and pinball in the series' units; MAPE, sMAPE, direction and coverage in percent;
/// MASE and relative MAE unitless, below 1 beating the reference.
public struct BacktestRow: Sendable, Equatable {
    /// The model's name, e.g. "LSTM", "naive", "Seq2Seq"; rows of one model share it exactly.
    public var model: String
    /// Steps ahead, 1-based.
    public var horizon: Int
    /// Number of scored forecasts behind these numbers.
    public var count: Int?
    public var mae: Double?
    public var rmse: Double?
    public var mape: Double?
    public var smape: Double?
    public var mase: Double?
    /// MAE relative to the naive forecast of the same targets.
    public var relativeMAE: Double?
    /// Percent of forecasts that called the direction of change right.
    public var directionalAccuracy: Double?
    public var coverage80: Double?
    public var coverage95: Double?
    public var pinball: Double?

    public init(model: String, horizon: Int, count: Int? = nil, mae: Double? = nil, rmse: Double? = nil,
                mape: Double? = nil, smape: Double? = nil, mase: Double? = nil, relativeMAE: Double? = nil,
                directionalAccuracy: Double? = nil, coverage80: Double? = nil, coverage95: Double? = nil,
                pinball: Double? = nil) {
        self.model = model
        self.horizon = horizon
        self.count = count
        self.mae = mae
        self.rmse = rmse
        self.mape = mape
        self.smape = smape
        self.mase = mase
        self.relativeMAE = relativeMAE
        self.directionalAccuracy = directionalAccuracy
        self.coverage80 = coverage80
        self.coverage95 = coverage95
        self.pinball = pinball
    }
}

/// An extra section comparing a chosen set of models by MASE per horizon, e.g.
/// `ModelComparison(title: "Seq2Seq vs plain", models: ["LSTM", "Seq2Seq", "naive"])`.
/// The numbers come from the report's `backtest` rows; models without rows are skipped, and the
/// section is left out unless at least two models other than the report's baseline have rows.
public struct ModelComparison: Sendable, Equatable {
    public var title: String
    public var models: [String]

    public init(title: String, models: [String]) {
        self.title = title
        self.models = models
    }
}
