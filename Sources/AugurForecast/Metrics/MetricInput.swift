import AugurCore
/// Everything a metric may need about a set of scored forecasts, so that every metric has one signature:
/// `Metric.value(on: MetricInput) throws(ForecastError) -> Double`.
///
/// Arrays are aligned: entry i of each describes the same forecast (one origin and one horizon). Inputs a
/// metric does not need may be left empty; a metric that needs one that is missing throws
/// `ForecastError.missingMetricInput`.
public struct MetricInput: Sendable {
    /// The observed values the forecasts aimed at.
    public var actual: [Double]
    /// The point forecasts.
    public var point: [Double]
    /// The last observed value at each forecast's origin, for directional accuracy.
    public var originValues: [Double]
    /// Interval bounds per level, aligned with `point`; for coverage and pinball loss.
    public var intervals: [PredictionInterval]
    /// A baseline's point forecasts for the same targets (normally `naive`), for `rel_mae`.
    public var baselinePoint: [Double]
    /// The training data MASE scales by: only data from before the forecast origins, never the test part.
    public var training: [Double]
    /// The season of MASE's scale: 1 for the in-sample naive MAE, m for the seasonal-naive MAE.
    public var seasonLength: Int

    public init(actual: [Double], point: [Double], originValues: [Double] = [], intervals: [PredictionInterval] = [],
                baselinePoint: [Double] = [], training: [Double] = [], seasonLength: Int = 1) {
        self.actual = actual
        self.point = point
        self.originValues = originValues
        self.intervals = intervals
        self.baselinePoint = baselinePoint
        self.training = training
        self.seasonLength = seasonLength
    }
}
