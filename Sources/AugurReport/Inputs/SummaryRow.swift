import AugurCore

/// One symbol's line in `Reports/index.html` and `Reports/summary.md`.
public struct SummaryRow: Sendable, Equatable {
    public var symbol: String
    public var lastClose: DatedValue?
    /// The next step's forecast (horizon 1) with its intervals; the summary shows the 80% interval,
    /// or the 95% one when only that is present.
    public var nextForecast: ForecastStep?
    public var model: ModelKind?
    /// The model's MASE at horizon 1, and its baseline's (seasonal naive for a seasonal series, naive
    /// otherwise) on the same backtest.
    public var modelMASE: Double?
    public var baseline: ModelKind
    public var baselineMASE: Double?
    /// The latest observations and the forecast path, for the index's small chart.
    public var recent: [DatedValue] = []
    public var forecast: [ForecastStep] = []

    public init(symbol: String, lastClose: DatedValue? = nil, nextForecast: ForecastStep? = nil,
                model: ModelKind? = nil, modelMASE: Double? = nil, baseline: ModelKind = .naive, baselineMASE: Double? = nil) {
        self.symbol = symbol
        self.lastClose = lastClose
        self.nextForecast = nextForecast
        self.model = model
        self.modelMASE = modelMASE
        self.baseline = baseline
        self.baselineMASE = baselineMASE
    }

    /// The row for a report: its last close, first forecast step, and the horizon-1 MASE of its primary
    /// model and of its baseline (the smallest horizon present when there is no horizon 1).
    public init(_ report: SymbolReport) {
        let model = report.primaryModel
        let horizon = report.backtest.map(\.horizon).min()
        func mase(_ name: ModelKind?) -> Double? {
            guard let name, let horizon else { return nil }
            return report.backtest.first { $0.model == name && $0.horizon == horizon }?[.mase]
        }
        self.init(symbol: report.symbol, lastClose: report.lastClose, nextForecast: report.forecast?.rows.first,
                  model: model, modelMASE: mase(model), baseline: report.baselineModel,
                  baselineMASE: mase(report.baselineModel))
        recent = Array(report.recent.suffix(MiniForecastChart.historyLength))
        forecast = report.forecast?.rows ?? []
    }
}
