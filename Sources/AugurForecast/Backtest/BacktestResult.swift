import AugurCore

/// One model's forecast of one target from one origin.
public struct BacktestForecast: Sendable, Equatable {
    public var model: ModelKind
    /// Index, in the history given to the backtest, of the last observation the model saw.
    public var originIndex: Int
    public var originDate: CivilDate?
    /// The value observed at the origin (the naive forecast, and the reference for direction).
    public var originValue: Double
    /// Steps after the origin, 1-based.
    public var horizon: Int
    /// Index of the target in the history; `originIndex + horizon` (may lie beyond the data).
    public var targetIndex: Int
    public var targetDate: CivilDate?
    public var point: Double
    /// Bounds per requested level, in the configuration's order.
    public var intervals: [IntervalBounds]
    /// The observed target, nil when it lies beyond the end of the data (such forecasts are not scored).
    public var actual: Double?
}

/// One forecast's interval at one level.
public struct IntervalBounds: Sendable, Equatable {
    public var level: Double
    public var lower: Double
    public var upper: Double
}

/// Everything a rolling-origin backtest produced.
public struct BacktestResult: Sendable, Equatable {
    public var configuration: BacktestConfiguration
    /// Index in the given history of the first observation inside the window.
    public var windowStart: Int
    /// Index of the last observation seen at the first origin.
    public var firstOriginIndex: Int
    public var originCount: Int
    /// The season MASE was scaled with.
    public var maseSeasonLength: Int
    /// MASE's denominator: the in-sample (seasonal) naive MAE of the training part; nil when it is 0
    /// (a constant training part), and MASE is then undefined.
    public var maseScale: Double?
    /// Every forecast, by model, then origin, then horizon.
    public var forecasts: [BacktestForecast]
    /// The model × horizon table, by model (in the order given) then horizon.
    public var scores: [BacktestScore]
    /// The intervals each model's scores use, when the configuration calibrates them.
    public var intervalChoices: [ModelKind: IntervalChoice] = [:]
    /// Calibration origins before the first scored origin.
    public var calibrationOriginCount: Int = 0

    /// The value of `metric` for `model` at `horizon`, nil when absent.
    public func value(_ metric: Metric, model: ModelKind, horizon: Int) -> Double? {
        scores.first { $0.model == model && $0.horizon == horizon }?.values[metric]
    }
}
