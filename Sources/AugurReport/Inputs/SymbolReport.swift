// AugurReport: turns one symbol's numbers into text, Markdown, SVG charts and a self-contained HTML page.
// Values in, strings out: nothing here opens a database or a file, so the caller decides where output goes
// and every renderer is a pure function (same input, same bytes). May import AugurCore only (never
// AugurForecast: verdicts and scores arrive as AugurCore values).
import AugurCore

/// Everything a symbol's report shows, filled by the caller (the CLI reads it from the store).
///
/// Only `symbol`, `frequency`, `dataRange` and `recent` are needed; every other part may be empty or nil
/// and its section is then left out (or says that it has no data). Arrays are shown in the order given.
///
/// ```swift
/// let report = SymbolReport(symbol: "SPY", frequency: .daily,
///                           dataRange: DataRange(first: first, last: last, count: 5031),
///                           recent: closes.suffix(150).map { DatedValue(date: $0.date, value: $0.close) })
/// let text = TextReport.render(report)
/// ```
public struct SymbolReport: Sendable, Equatable {
    /// The symbol as the user knows it; shown literally (escaped per format), never used as a path
    /// (see ``ReportPaths/folderName(for:)``).
    public var symbol: String
    /// Prices or values: the header says "Last close" or "Last value".
    public var kind: SeriesKind = .price
    /// What one observation is called: "closes" or "values".
    public var observationNoun: String { kind == .value ? "values" : "closes" }
    public var frequency: Frequency
    /// The whole stored series' extent, not just `recent`.
    public var dataRange: DataRange
    /// The latest observations (closes, or adjusted closes), oldest first; the forecast chart shows the
    /// last ``ForecastChart/historyLength`` of them and the sparkline the last 60. The last one is the
    /// "last close" of the header.
    public var recent: [DatedValue]
    /// The model whose forecast is shown; nil when none was trained.
    public var model: ModelSummary?
    public var forecast: ForecastPath?
    /// The backtest, one row per model and horizon, any metric possibly absent.
    public var backtest: [BacktestScore]
    /// The neural model's one-step-ahead backtest residuals (actual − forecast), oldest first.
    public var residuals: [DatedValue]
    /// Loss curves, one per training run (e.g. "stateful" and "stateless" from `augur compare-modes`).
    public var trainingHistories: [TrainingHistory]
    /// Extra model-versus-model sections, e.g. "Seq2Seq vs plain" over [.lstm, .seq2seq, .naive].
    public var comparisons: [ModelComparison]
    /// Does the model beat the baseline? Judged by the caller (AugurForecast's `Verdict.judge`) and
    /// rendered here; nil says there is no verdict.
    public var verdict: Verdict?
    /// AutoETS and AutoARIMA fitted to the whole history, with the forms they chose (empty: not fitted).
    public var fittedModels: [FittedModel] = []
    /// The forecasting model's backtest intervals at one horizon, for the rolling-coverage chart (nil:
    /// no chart).
    public var coverage: CoverageTrack?
    /// How the forecast's intervals were made, e.g. "GARCH(1,1)-scaled conformal, ACI γ=0.01/h (chosen
    /// on 500 origins)" (nil: the model's own, not said).
    public var intervalMethod: String?
    /// The pin the forecast came from, e.g. "model 3" (nil: not pinned, auto or `--method`).
    public var pinned: String?
    /// What the forecast dates skip, e.g. "NYSE holidays and weekends" (nil: not a market-day series).
    public var calendar: String?
    /// Which backtest the tables come from, e.g. "run 2024-05-01, 40 origins, the standard protocol"
    /// (nil: not said).
    public var backtestSource: String?
    /// The baseline of the verdict and of the charts' colours (black).
    public var baselineModel: ModelKind
    /// Shown in the header when given ("Generated 2024-05-01"); reports carry no clock time of their own,
    /// so the same data always gives the same bytes.
    public var generatedOn: CivilDate?

    public init(symbol: String, frequency: Frequency, dataRange: DataRange, recent: [DatedValue],
                model: ModelSummary? = nil, forecast: ForecastPath? = nil, backtest: [BacktestScore] = [],
                residuals: [DatedValue] = [], trainingHistories: [TrainingHistory] = [],
                comparisons: [ModelComparison] = [], verdict: Verdict? = nil,
                baselineModel: ModelKind = .naive, generatedOn: CivilDate? = nil, backtestSource: String? = nil) {
        self.symbol = symbol
        self.frequency = frequency
        self.dataRange = dataRange
        self.recent = recent
        self.model = model
        self.forecast = forecast
        self.backtest = backtest
        self.residuals = residuals
        self.trainingHistories = trainingHistories
        self.comparisons = comparisons
        self.verdict = verdict
        self.baselineModel = baselineModel
        self.generatedOn = generatedOn
        self.backtestSource = backtestSource
    }

    /// The latest observation, nil when `recent` is empty.
    public var lastClose: DatedValue? { recent.last }

    /// The model the verdict judges: the model's name, or else the first non-baseline model of the backtest.
    public var primaryModel: ModelKind? {
        if let kind = model?.kind { return kind }
        return backtest.first { $0.model != baselineModel }?.model
    }

    /// Every model of the backtest, in order of first appearance (the order of colours and legends).
    public var backtestModels: [ModelKind] {
        var seen = Set<ModelKind>()
        return backtest.compactMap { seen.insert($0.model).inserted ? $0.model : nil }
    }
}

/// The extent of a stored series.
public struct DataRange: Sendable, Equatable {
    public var first: CivilDate
    public var last: CivilDate
    /// Number of observations between `first` and `last`.
    public var count: Int

    public init(first: CivilDate, last: CivilDate, count: Int) {
        self.first = first
        self.last = last
        self.count = count
    }
}

/// One dated number: a close, a residual.
public struct DatedValue: Sendable, Equatable {
    public var date: CivilDate
    public var value: Double

    public init(date: CivilDate, value: Double) {
        self.date = date
        self.value = value
    }
}
