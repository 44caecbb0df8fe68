/// The accuracy measures a backtest reports; the raw value is the one key a metric has everywhere:
/// the `--json` output, the store's score JSON and the report. AugurForecast computes them
/// (`Metric.value(on:)`).
///
/// Percentages (MAPE, sMAPE, directional accuracy, coverage) are in percent. Absolute errors are in the
/// series' units; MASE and relative MAE are unitless ratios where below 1 beats the reference.
public enum Metric: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable, CustomStringConvertible {
    case mae
    case rmse
    /// 100 · mean(|y − ŷ| / |y|); undefined when an actual is zero.
    case mape
    /// 100 · mean(2|y − ŷ| / (|y| + |ŷ|)), on 0…200; a term where both are zero counts 0.
    case smape
    /// MAE divided by the in-sample MAE of the (seasonal) naive forecast on the training data.
    case mase
    /// MAE divided by the MAE of the baseline (naive) forecasts of the same targets.
    case relativeMAE = "rel_mae"
    /// Percent of forecasts whose change from the origin value has the sign of the actual change.
    case directionalAccuracy = "direction"
    /// Percent of actuals inside the 80% interval.
    case coverage80
    /// Percent of actuals inside the 95% interval.
    case coverage95
    /// Pinball (quantile) loss averaged over every interval bound produced, each bound being a quantile.
    case pinball
    /// Mean width (upper − lower) of the 80% and of the 95% interval, in the series' units.
    case width80
    case width95
    /// Mean scaled interval score of the 95% interval (Gneiting & Raftery 2007; the M4 competition's
    /// MSIS): (u − l) + (2/α)(l − y)[y < l] + (2/α)(y − u)[y > u] with α = 0.05, divided by MASE's
    /// scale. Lower is better; it rewards narrow intervals and punishes misses by their distance.
    case msis

    /// The key in JSON and in the store.
    public var key: String { rawValue }
    public var description: String { rawValue }
}

/// The metrics of one model at one horizon over every scored origin: what a backtest computes, the
/// store keeps, `--json` prints (one flat object: `model`, `horizon`, `count` and a key per metric
/// present) and a report shows.
public struct BacktestScore: Sendable, Equatable, Codable {
    public var model: ModelKind
    public var horizon: Int
    /// How many origins had an observed target at this horizon.
    public var count: Int
    /// Metric values; a metric undefined on these forecasts (MAPE with a zero actual, coverage for a
    /// model that gave no interval at that level) is absent rather than invented.
    public var values: [Metric: Double]
    /// Why each absent metric is undefined ("an actual value is zero"), for the text output; not
    /// stored and not in JSON, where an undefined metric is `null`.
    public var reasons: [Metric: String]

    public init(model: ModelKind, horizon: Int, count: Int, values: [Metric: Double], reasons: [Metric: String] = [:]) {
        self.model = model
        self.horizon = horizon
        self.count = count
        self.values = values
        self.reasons = reasons
    }

    public subscript(_ metric: Metric) -> Double? { values[metric] }

    private enum Fixed: String, CodingKey { case model, horizon, count }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var fixed = encoder.container(keyedBy: Fixed.self)
        try fixed.encode(model, forKey: .model)
        try fixed.encode(horizon, forKey: .horizon)
        try fixed.encode(count, forKey: .count)
        var metrics = encoder.container(keyedBy: Key.self)
        for m in Metric.allCases {
            let key = Key(stringValue: m.key)
            if let v = values[m], v.isFinite { try metrics.encode(v, forKey: key) } else { try metrics.encodeNil(forKey: key) }
        }
    }

    public init(from decoder: any Decoder) throws {
        let fixed = try decoder.container(keyedBy: Fixed.self)
        model = try fixed.decode(ModelKind.self, forKey: .model)
        horizon = try fixed.decode(Int.self, forKey: .horizon)
        count = try fixed.decode(Int.self, forKey: .count)
        let metrics = try decoder.container(keyedBy: Key.self)
        var values: [Metric: Double] = [:]
        for m in Metric.allCases {
            if let v = try metrics.decodeIfPresent(Double.self, forKey: Key(stringValue: m.key)) { values[m] = v }
        }
        self.values = values
        reasons = [:]
    }
}
