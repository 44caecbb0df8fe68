import AugurCore
import AugurForecast
import AugurStore
import Foundation

/// One symbol's line of `augur daily`.
public struct DailyLine: Sendable, Codable {
    public enum Status: String, Sendable, Codable { case forecast, upToDate = "up-to-date", skipped, failed }
    public var symbol: String
    public var status: Status
    public var message: String?
    public var asOf: CivilDate?
    public var lastClose: Double?
    public var nextDate: CivilDate?
    public var nextForecast: Double?
    public var lower80: Double?
    public var upper80: Double?
    /// Relative change of the next forecast from the last close (a price series only).
    public var change: Double?
    /// The next forecast minus the last value (a value series, where a relative change means nothing).
    public var difference: Double? = nil
    public var modelID: Int64?
    public var advancedBars: Int
    public var retrained: Bool
    /// The model that forecast (auto, a statistical model or a neural one).
    public var model: ModelKind? = nil
    /// `auto`'s choice per horizon, and whether it was made in this run.
    public var choice: String? = nil
    public var reselected: Bool? = nil
}

/// `augur daily`: for every symbol with bars newer than its last forecast, advance the stored state over
/// the new bars only, forecast the next days, store the forecasts and the advanced state.
public enum DailyUseCase {
    public struct Options: Sendable {
        public var horizon = 5
        /// Retrain a model whose training data ends more than this many days before the newest bar.
        public var retrainAfterDays: Int?
        /// Skip symbols without a model instead of training one.
        public var noTrain = false
        public var configuration = TrainingConfiguration()
        /// The model for every symbol: a statistical model fitted on the spot, or a neural kind (the
        /// stored model advanced, trained when missing unless `noTrain`); nil: each symbol's pin
        /// (`augur models pin`), else auto.
        public var method: ModelKind? = nil
        /// Make auto's selections anew.
        public var reselect = false
        /// auto: weigh the neural models too (training the default LSTM where a symbol has none).
        public var neural = false
        /// Only the symbols of this shard (`--shard K/N`); nil: every symbol.
        public var shard: Shard?
        public init() {}
    }

    /// Where the run is, for a progress display: symbol `index` (0-based) of `count`, and what it does.
    public struct Progress: Sendable, Equatable {
        public enum Stage: Sendable, Equatable {
            /// Forecasting (fitting, selecting or advancing a state).
            case forecasting
            /// Training a network first.
            case training(epoch: Int, of: Int)
        }
        public var index: Int
        public var count: Int
        public var symbol: String
        public var stage: Stage
        /// Seconds since the run started, and the symbols finished by then.
        public var elapsed: Double
        public var finished: Int

        /// The remaining time at the pace of the symbols finished so far (nil before the first).
        public var eta: Double? { finished > 0 ? elapsed / Double(finished) * Double(count - finished) : nil }
    }

    /// Runs every symbol with bars, in name order. `onProgress` hears when a symbol starts and each
    /// training epoch; `onLine` gets each symbol's line as soon as it is done.
    public static func run(options: Options, database: AugurDatabase, calendar: TradingCalendar = TradingCalendar(),
                           onEpoch: ((EpochProgress) -> Void)? = nil, onProgress: ((Progress) -> Void)? = nil,
                           onLine: ((DailyLine) -> Void)? = nil) throws -> [DailyLine] {
        let symbols = try database.symbolNamesWithBars().filter { options.shard?.owns($0) ?? true }
        let started = monotonicSeconds()
        var lines: [DailyLine] = []
        for (k, symbol) in symbols.enumerated() {
            let report = { (stage: Progress.Stage) in
                onProgress?(Progress(index: k, count: symbols.count, symbol: symbol, stage: stage, elapsed: monotonicSeconds() - started,
                                     finished: k))
            }
            report(.forecasting)
            let epochs: ((EpochProgress) -> Void)? = onEpoch == nil && onProgress == nil ? nil : { p in
                onEpoch?(p)
                report(.training(epoch: p.record.epoch, of: p.maxEpochs))
            }
            let line: DailyLine
            do {
                // Under the symbol's lock: a second worker on the same symbol (an overlapping shard, a re-run
                // beside a worker still going) waits, then finds it up to date.
                line = try database.withSymbolLock(symbol) {
                    try runSymbol(symbol, options: options, database: database, calendar: calendar, onEpoch: epochs)
                }
            } catch {
                line = DailyLine(symbol: symbol, status: .failed, message: "\(error)", advancedBars: 0, retrained: false)
            }
            onLine?(line)
            lines.append(line)
        }
        return lines
    }

    static func runSymbol(_ symbol: String, options: Options, database: AugurDatabase, calendar listed: TradingCalendar,
                          onEpoch: ((EpochProgress) -> Void)?) throws -> DailyLine {
        let context = try SymbolContext.load(symbol, database: database)
        let calendar = context.tradingCalendar(listed: listed)
        guard let lastBar = context.bars.last else {
            return DailyLine(symbol: context.name, status: .skipped, message: "no bars", advancedBars: 0, retrained: false)
        }
        let (pinnedMethod, pinnedModel, _) = context.resolved(method: options.method, modelID: nil)
        let method = pinnedMethod ?? .auto
        if pinnedModel == nil, !method.isNeural {
            return try fittedOnTheSpot(context, method: method, lastBar: lastBar, options: options, database: database,
                                       calendar: calendar)
        }
        var retrained = false
        var session = try NeuralSession.load(context: context, modelID: pinnedModel, database: database)
        // A pinned model is the one the user chose: --retrain-after does not replace it.
        if pinnedModel == nil, let s = session, let days = options.retrainAfterDays,
           lastBar.date.days(since: s.stored.dataLast) > days {
            _ = try TrainUseCase.run(contexts: [context], configuration: try ModelCodec.configuration(s.stored),
                                     database: database, onEpoch: onEpoch)
            session = nil
            retrained = true
        }
        if session == nil {
            if !retrained, options.noTrain {
                return DailyLine(symbol: context.name, status: .skipped, message: "no model", advancedBars: 0,
                                 retrained: false)
            }
            let (s, trained) = try StoredModels.ensureSession(for: context, configuration: options.configuration,
                                                              database: database, onEpoch: onEpoch)
            session = s
            retrained = retrained || trained != nil
        }
        guard var s = session, let modelID = s.stored.id else { throw AppError.internalFailure("no model for \(symbol)") }
        let model = s.stored.kind
        if let previous = try database.latestForecast(symbol: s.state.symbol, model: model),
           previous.asOf >= lastBar.date, !retrained, !s.replayed {
            return line(status: .upToDate, run: previous, lastClose: lastBar.price, advanced: 0, retrained: false,
                        kind: context.series.kind)
        }
        try s.catchUp(bars: context.bars)
        if s.advancedBy > 0 || s.replayed {
            try database.saveState(modelID: modelID, ModelCodec.storedState(s.states, bars: context.bars))
        }
        let forecast = try s.forecaster.predict(horizon: options.horizon, levels: [80, 95])
        let run = ForecastRun(symbol: s.state.symbol, model: model, modelID: modelID, asOf: s.state.asOf,
                              steps: ForecastUseCase.steps(forecast, after: s.state.asOf, frequency: context.frequency,
                                                           calendar: calendar, everyDay: context.observedEveryDay))
        try database.saveForecast(run)
        return line(status: .forecast, run: run, lastClose: s.state.lastPrice, advanced: s.advancedBy, retrained: retrained,
                    kind: context.series.kind)
    }

    /// Auto or a statistical model: nothing to do when the stored forecast is as of the newest bar (and
    /// no new selection is asked for); otherwise fitted (auto: its stored selection's models refitted,
    /// the selection re-made when due), forecast and stored.
    static func fittedOnTheSpot(_ context: SymbolContext, method: ModelKind, lastBar: Bar, options: Options,
                                database: AugurDatabase, calendar: TradingCalendar) throws -> DailyLine {
        let digest = HistoryDigest.of(context.bars, through: lastBar.date)
        if !options.reselect, let previous = try database.latestForecast(symbol: context.name, model: method),
           previous.asOf >= lastBar.date, previous.steps.count >= options.horizon, previous.digest == digest {
            return line(status: .upToDate, run: previous, lastClose: lastBar.price, advanced: 0, retrained: false,
                        kind: context.series.kind)
        }
        let table = try ForecastUseCase.run(context: context, method: method, horizon: options.horizon,
                                            reselect: options.reselect, neural: options.neural, database: database,
                                            calendar: calendar)
        let run = ForecastRun(symbol: table.symbol, model: method, modelID: nil, asOf: table.asOf, steps: table.rows,
                              fitted: table.fitted, digest: digest)
        var l = line(status: .forecast, run: run, lastClose: table.lastClose, advanced: 0, retrained: false,
                        kind: context.series.kind)
        if method == .auto { l.reselected = table.selectionSource?.hasPrefix("made now") }
        return l
    }

    static func line(status: DailyLine.Status, run: ForecastRun, lastClose: Double, advanced: Int, retrained: Bool,
                     kind: SeriesKind) -> DailyLine {
        let next = run.steps.first { $0.horizon == 1 }
        let isPrice = kind == .price && lastClose > 0
        var l = DailyLine(symbol: run.symbol, status: status, message: nil, asOf: run.asOf, lastClose: lastClose,
                          nextDate: next?.date, nextForecast: next?.point, lower80: next?.lower80, upper80: next?.upper80,
                          change: isPrice ? next.map { $0.point / lastClose - 1 } : nil, modelID: run.modelID,
                          advancedBars: advanced, retrained: retrained, model: run.model, choice: run.fitted)
        if !isPrice { l.difference = next.map { $0.point - lastClose } }
        return l
    }
}
