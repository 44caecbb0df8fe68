import AugurCore
import AugurForecast
import AugurStore
import Foundation

public struct ForecastTable: Sendable, Codable {
    public var symbol: String
    public var model: ModelKind
    /// The stored model behind the forecast; nil for a baseline fallback.
    public var modelID: Int64?
    /// Stateful or stateless; nil for the encoder-decoder.
    public var mode: TrainingMode?
    public var asOf: CivilDate
    public var lastClose: Double
    /// A price series or a value series (whose last observation is a value, not a close).
    public var kind: SeriesKind = .price
    public var rows: [ForecastStep]
    /// Bars the state was advanced over before forecasting (new since the model's state was saved).
    public var advancedBars: Int
    /// Set when a model had to be trained first.
    public var trained: TrainSummary?
    /// What the user should know about how this forecast was made (a fallback and why).
    public var notes: [String] = []
    /// The fitted form and parameters of a model that chooses among forms (AutoETS, AutoARIMA), or
    /// `auto`'s choice per horizon.
    public var fitted: String?
    /// `auto` only: the choice per run of horizons with its validation evidence, and where it came from.
    public var selection: [String]?
    public var selectionSource: String?
    /// How the intervals were made: the calibration method and its evidence (nil: the model's own).
    public var intervals: String?
    /// What the dates skip: "NYSE holidays and weekends", "weekends only"…
    public var calendar: String?
}

public enum ForecastUseCase {
    /// Dated steps of `f`, the first after `last`.
    static func steps(_ f: Forecast, after last: CivilDate, frequency: Frequency?, calendar: TradingCalendar,
                      everyDay: Bool = false) -> [ForecastStep] {
        let dates = calendar.futureDates(after: last, count: f.horizon, frequency: frequency ?? .daily, everyDay: everyDay)
        let i80 = f.interval(level: 80), i95 = f.interval(level: 95)
        return (0..<f.horizon).map { k in
            ForecastStep(date: dates[k], horizon: k + 1, point: f.point[k], lower80: i80?.lower[k], upper80: i80?.upper[k],
                         lower95: i95?.lower[k], upper95: i95?.upper[k])
        }
    }

    /// Forecasts `horizon` periods. By default with `auto` (the stored selection, re-made when the data
    /// has grown or `reselect` asks); `modelID` uses that stored neural model, from its state brought
    /// up to the newest bar; `method` picks any model: a statistical one is fitted on the spot, a neural
    /// one uses the symbol's newest stored model of that kind (trained with the kind's defaults when
    /// there is none).
    public static func run(symbol: String, modelID: Int64? = nil, method: ModelKind? = nil, horizon: Int,
                           season: Int? = nil, reselect: Bool = false, neural: Bool = false,
                           intervals: IntervalPolicy = .calibrated, database: AugurDatabase,
                           calendar: TradingCalendar = TradingCalendar(),
                           onEpoch: ((EpochProgress) -> Void)? = nil) throws -> ForecastTable {
        let context = try SymbolContext.load(symbol, database: database)
        let calendar = context.tradingCalendar(listed: calendar)
        let (method, modelID, pinned) = context.resolved(method: method, modelID: modelID)
        var table: ForecastTable
        if let modelID {
            table = try run(context: context, modelID: modelID, horizon: horizon, database: database, calendar: calendar,
                            onEpoch: onEpoch)
        } else {
            table = try run(context: context, method: method ?? .auto, horizon: horizon, season: season, reselect: reselect,
                            neural: neural, intervals: intervals, database: database, calendar: calendar, onEpoch: onEpoch)
        }
        table.kind = context.series.kind
        if pinned, let pin = context.pin { table.notes.insert("pinned to \(pin) (augur models pin)", at: 0) }
        table.calendar = context.datesSkip(calendar)
        return table
    }

    /// `method` for an already loaded symbol; statistical forecasts (and `auto`'s) are stored.
    static func run(context: SymbolContext, method: ModelKind, horizon: Int, season: Int? = nil, reselect: Bool = false,
                    neural: Bool = false, intervals: IntervalPolicy = .calibrated, database: AugurDatabase,
                    calendar: TradingCalendar,
                    onEpoch: ((EpochProgress) -> Void)? = nil) throws -> ForecastTable {
        if method.isNeural, method != .seq2seq {
            if let stored = try database.latestModel(for: context.name, kind: method) {
                return try run(context: context, modelID: stored.id, horizon: horizon, database: database, calendar: calendar)
            }
            let trained: TrainSummary
            do {
                trained = try TrainUseCase.run(contexts: [context], configuration: method.defaultConfiguration!,
                                               database: database, onEpoch: onEpoch)
            } catch TrainingError.seriesTooShort(_, let needed, let got) {
                return try statistical(.naive, context: context, horizon: horizon, calendar: calendar,
                                       notes: [tooShort(context, needed: needed, got: got)])
            }
            var table = try run(context: context, modelID: trained.modelID, horizon: horizon, database: database,
                                calendar: calendar)
            table.trained = trained
            return table
        }
        if method == .seq2seq {
            guard let stored = try database.newestModel(trainedOn: context.name, kind: .seq2seq) else {
                throw AppError.notFound("\(context.name) has no seq2seq model yet")
            }
            return try run(context: context, modelID: stored.id, horizon: horizon, database: database, calendar: calendar)
        }
        // Fitted on the spot (auto: its stored selection's models refitted), and kept with its fitted
        // form (`forecasts.fitted`) like the daily job's.
        let table = method == .auto
            ? try automatic(context: context, season: season, horizon: horizon, reselect: reselect, neural: neural,
                            intervals: intervals, database: database, calendar: calendar, onEpoch: onEpoch)
            : try statistical(method, context: context, season: season, horizon: horizon, calendar: calendar,
                              intervals: intervals, database: database)
        try database.saveForecast(ForecastRun(symbol: table.symbol, model: table.model, modelID: nil, asOf: table.asOf,
                                              steps: table.rows, fitted: table.fitted,
                                              digest: HistoryDigest.of(context.bars, through: table.asOf)))
        return table
    }

    static func run(context: SymbolContext, modelID: Int64? = nil, horizon: Int, database: AugurDatabase,
                    calendar: TradingCalendar, onEpoch: ((EpochProgress) -> Void)? = nil) throws -> ForecastTable {
        guard horizon >= 1, horizon <= 1000 else { throw AppError.invalid("the horizon must be between 1 and 1000, got \(horizon)") }
        guard let lastBar = context.bars.last else { throw AppError.notFound("\(context.name) has no bars") }
        if let modelID, let m = try database.model(id: modelID), m.kind == .seq2seq {
            let f = try Seq2SeqUseCase.forecaster(m, context: context)
            guard horizon <= f.configuration.horizon else {
                throw AppError.horizonBeyondTraining(modelID: modelID, trained: f.configuration.horizon, asked: horizon)
            }
            let forecast = try f.predict(horizon: horizon, levels: [80, 95])
            return ForecastTable(symbol: context.name, model: .seq2seq, modelID: modelID, mode: nil, asOf: lastBar.date,
                                 lastClose: lastBar.price,
                                 rows: steps(forecast, after: lastBar.date, frequency: context.frequency, calendar: calendar,
                                       everyDay: context.observedEveryDay),
                                 advancedBars: 0, trained: nil)
        }
        let session: NeuralSession, trained: TrainSummary?
        do {
            (session, trained) = try StoredModels.ensureSession(for: context, modelID: modelID, database: database,
                                                                onEpoch: onEpoch)
        } catch TrainingError.seriesTooShort(_, let needed, let got) where modelID == nil {
            return try statistical(.naive, context: context, horizon: horizon, calendar: calendar,
                                   notes: [tooShort(context, needed: needed, got: got)])
        }
        var s = session
        try s.catchUp(bars: context.bars)
        let forecast = try s.forecaster.predict(horizon: horizon, levels: [80, 95])
        return ForecastTable(symbol: s.state.symbol, model: s.stored.kind, modelID: s.stored.id ?? 0, mode: s.stored.mode,
                             asOf: s.state.asOf, lastClose: s.state.lastPrice,
                             rows: steps(forecast, after: s.state.asOf, frequency: context.frequency, calendar: calendar,
                                       everyDay: context.observedEveryDay),
                             advancedBars: s.advancedBy, trained: trained)
    }

    static func tooShort(_ context: SymbolContext, needed: Int, got: Int) -> String {
        "\(context.name) has \(got) bars, too few for a neural model (it needs at least \(needed)): forecast from naive, the random walk"
    }

    /// `auto` with the symbol's stored selection (or a new one), its models fitted to the whole history;
    /// the intervals from the calibration layer (the selection's models refitted at each calibration
    /// origin), unless the selection uses a stored neural model, whose state cannot be set back.
    static func automatic(context: SymbolContext, season: Int?, horizon: Int, reselect: Bool, neural: Bool = false,
                          intervals: IntervalPolicy = .calibrated, database: AugurDatabase, calendar: TradingCalendar,
                          onEpoch: ((EpochProgress) -> Void)? = nil) throws -> ForecastTable {
        guard horizon >= 1, horizon <= 1000 else { throw AppError.invalid("the horizon must be between 1 and 1000, got \(horizon)") }
        guard let last = context.bars.last else { throw AppError.notFound("\(context.name) has no bars") }
        let fitted = try AutoUseCase.fit(context: context, season: season, horizon: horizon, reselect: reselect,
                                         neural: neural, database: database, onEpoch: onEpoch)
        let history = try context.history()
        let steps = CalibrationUseCase.horizon(for: history, asked: horizon)
        let final = try fitted.forecaster.predict(horizon: steps, levels: CalibrationUseCase.levels)
        let neuralMember = fitted.forecaster.members.contains { $0.isNeural }
        let prototype = fitted.forecaster, selection = fitted.selection
        let calibrated = try CalibrationUseCase.calibrated(
            context: context, history: history, method: .auto, selectionID: fitted.stored.id, asked: horizon,
            policy: neuralMember ? .model : intervals, final: final,
            pathsAt: { (prefixes: [TimeSeriesHistory]) throws(ForecastError) -> [Forecast] in
                var out: [Forecast] = []
                for a in try prototype.refitted(prefixes, keeping: selection) {
                    out.append(try a.predict(horizon: steps, levels: CalibrationUseCase.levels))
                }
                return out
            }, database: database)
        return ForecastTable(symbol: context.name, model: .auto, modelID: nil, mode: nil, asOf: last.date, lastClose: last.price,
                             rows: self.steps(calibrated.forecast, after: last.date, frequency: context.frequency, calendar: calendar,
                                       everyDay: context.observedEveryDay),
                             advancedBars: 0, trained: nil, notes: [], fitted: fitted.selection.description,
                             selection: fitted.selection.explanation, selectionSource: AutoUseCase.provenance(fitted),
                             intervals: calibrated.summary)
    }

    /// A statistical model fitted on the spot to the whole history (`--method`, and naive for a series
    /// no neural model can be trained on), named with its fitted form where it has one; with a
    /// database, its intervals from the calibration layer.
    static func statistical(_ kind: ModelKind, context: SymbolContext, season: Int? = nil, horizon: Int,
                            calendar: TradingCalendar, notes: [String] = [], intervals: IntervalPolicy = .calibrated,
                            database: AugurDatabase? = nil) throws -> ForecastTable {
        guard horizon >= 1, horizon <= 1000 else { throw AppError.invalid("the horizon must be between 1 and 1000, got \(horizon)") }
        guard let last = context.bars.last else { throw AppError.notFound("\(context.name) has no bars") }
        let history = try context.history()
        let settings = ModelSettings(season: season)
        var model = kind.makeForecaster(settings)
        try model.fit(history)
        let forecast: Forecast
        var summary: String?
        if let database {
            let steps = CalibrationUseCase.horizon(for: history, asked: horizon)
            let calibrated = try CalibrationUseCase.calibrated(
                context: context, history: history, method: kind, selectionID: nil, asked: horizon, policy: intervals,
                final: try model.predict(horizon: steps, levels: CalibrationUseCase.levels),
                pathsAt: CalibrationUseCase.statisticalPaths(kind, settings: settings, horizon: steps), database: database)
            forecast = calibrated.forecast
            summary = calibrated.summary
        } else {
            forecast = try model.predict(horizon: horizon, levels: CalibrationUseCase.levels)
        }
        return ForecastTable(symbol: context.name, model: kind, modelID: nil, mode: nil, asOf: last.date, lastClose: last.price,
                             rows: steps(forecast, after: last.date, frequency: context.frequency, calendar: calendar,
                                       everyDay: context.observedEveryDay),
                             advancedBars: 0, trained: nil, notes: notes + model.fitNotes, fitted: model.fittedDescription,
                             intervals: summary)
    }
}
