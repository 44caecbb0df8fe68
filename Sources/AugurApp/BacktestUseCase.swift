import AugurCore
import AugurForecast
import AugurReport
import AugurStore
import Foundation

public struct BacktestReport: Sendable, Codable {
    public var backtestID: Int64
    public var symbol: String
    public var first: CivilDate
    public var last: CivilDate
    public var origins: Int
    public var horizons: [Int]
    public var seconds: Double
    /// Seconds spent fitting each neural model before the first origin.
    public var neuralTrainingSeconds: [ModelKind: Double]
    /// Models left out, with the reason (e.g. a history too short to train on).
    public var skipped: [ModelKind: String]
    /// One score per model and horizon, in the order the models were asked for.
    public var rows: [BacktestScore]

    /// Does each neural model, and auto, beat the right baseline (seasonal naive for a seasonal series,
    /// naive otherwise), and is the difference significant (Diebold–Mariano)? One verdict per model.
    public var verdicts: [Verdict] = []
    /// Which intervals were scored.
    public var intervals: IntervalPolicy = .calibrated
    /// Per model, the interval method the calibration chose (or split conformal), when not `.model`.
    public var intervalChoices: [ModelKind: IntervalChoice] = [:]
    /// Calibration origins before the first scored origin.
    public var calibrationOrigins: Int = 0
}

public enum BacktestUseCase {
    /// Weekly, monthly, quarterly or yearly series up to this many observations (in the backtest's window)
    /// retrain their recurrent models every `shortSeriesRefit` origins.
    public static let refitEveryOriginBelow = 600
    public static let shortSeriesRefit = 3

    /// Builds the forecasters of `models` through the registry. Neural ones use the symbol's newest
    /// saved configuration of that kind (or the defaults) and train on the data before the first origin.
    /// `ensemble` (K seeds, their median) overrides the recurrent models' saved or default setting.
    /// On a short series coarser than daily (`observations` at most `refitEveryOriginBelow`) the recurrent
    /// models retrain every `shortSeriesRefit` origins unless `refitEvery` says otherwise, as the
    /// statistical models refit at every origin: a small network trains in a few hundredths of a second
    /// there, and one fitted once on the first half of a hundred months is judged on seasons it never
    /// saw (airline, MAE relative to naive at h 1/6/12: trained once 0.334/0.215/0.546, every 3
    /// origins 0.328/0.175/0.277, every origin 0.326/0.164/0.247 at 3× the time).
    static func forecasters(_ models: [ModelKind], symbol: String, season: Int?, refitEvery: Int?, ensemble: Int? = nil,
                            head: ForecastHead? = nil,
                            observations: Int = .max, frequency: Frequency? = nil,
                            database: AugurDatabase) throws -> [any Forecaster] {
        let short = observations <= refitEveryOriginBelow && (frequency.map { $0 != .daily } ?? false)
        return try models.map { kind -> any Forecaster in
            let refit = refitEvery ?? (kind.cell != nil && short ? shortSeriesRefit : nil)
            var settings = ModelSettings(season: season, refitEvery: refit, threads: 1)
            if kind.isNeural, let saved = try database.latestModel(for: symbol, kind: kind) {
                if kind == .seq2seq { settings.seq2seq = try? ModelCodec.seq2seqConfiguration(saved) }
                else { settings.recurrent = try ModelCodec.configuration(saved) }
            }
            if kind.cell != nil, ensemble != nil || head != nil {
                var c = settings.recurrent ?? kind.defaultConfiguration ?? TrainingConfiguration()
                if let ensemble { c.ensemble = ensemble }
                if let head {
                    if c.head != head { c.directHorizon = nil }   // resolved anew for the data
                    c.head = head
                }
                settings.recurrent = c
            }
            return kind.makeForecaster(settings)
        }
    }

    /// The standard protocol for a history, as the store keeps it (a report uses the newest backtest
    /// run with this protocol).
    static func standardConfiguration(for history: TimeSeriesHistory, horizons: [Int]? = nil,
                                      originStep: Int? = nil, intervals: IntervalPolicy = .calibrated,
                                      calibrationStep: Int? = nil, window: Int? = nil) -> BacktestConfiguration {
        var config = BacktestConfiguration.standard(for: history)
        if let window { config.window = window }
        if let horizons { config.horizons = horizons }
        if let originStep { config.originStep = originStep }
        config.intervals = intervals
        if let calibrationStep { config.calibrationStep = calibrationStep }
        return config
    }

    /// Runs the rolling-origin protocol and stores the result. The same data, models and seed give
    /// the same numbers.
    /// `originStep` overrides the protocol's distance between origins (more origins, e.g. to read an
    /// interval's coverage to a few points); `intervals` which intervals are scored; `window` how many
    /// of the newest observations the backtest uses (the protocol's 1,000 by default: a daily series
    /// with a yearly cycle needs more for a model to see two years before its first origin).
    public static func run(symbol: String, models: [ModelKind] = ModelKind.backtestDefaults, horizons: [Int]? = nil,
                           season: Int? = nil, refitEvery: Int? = nil, originStep: Int? = nil,
                           intervals: IntervalPolicy = .calibrated, calibrationStep: Int? = nil, window: Int? = nil,
                           ensemble: Int? = nil, head: ForecastHead? = nil, database: AugurDatabase) throws -> BacktestReport {
        try run(context: try SymbolContext.load(symbol, database: database), models: models, horizons: horizons,
                season: season, refitEvery: refitEvery, originStep: originStep, intervals: intervals,
                calibrationStep: calibrationStep, window: window, ensemble: ensemble, head: head, database: database)
    }

    static func run(context: SymbolContext, models: [ModelKind] = ModelKind.backtestDefaults, horizons: [Int]? = nil,
                    season: Int? = nil, refitEvery: Int? = nil, originStep: Int? = nil,
                    intervals: IntervalPolicy = .calibrated, calibrationStep: Int? = nil, window: Int? = nil,
                    ensemble: Int? = nil, head: ForecastHead? = nil, database: AugurDatabase) throws -> BacktestReport {
        let started = Date()
        let series = context.series, name = context.name
        guard let first = series.first, let last = series.last else { throw AppError.notFound("\(name) has no bars") }
        let history = try context.history()
        let config = standardConfiguration(for: history, horizons: horizons, originStep: originStep, intervals: intervals,
                                           calibrationStep: calibrationStep, window: window)
        let forecasters = try forecasters(models, symbol: name, season: season, refitEvery: refitEvery, ensemble: ensemble, head: head,
                                          observations: min(history.count, config.window), frequency: history.frequency,
                                          database: database)
        let timer = TimingForecasters(forecasters)
        // One model at a time, so a model that cannot be fitted here (a neural net on too short a
        // history) is reported and left out instead of sinking the whole backtest.
        let backtest = RollingOriginBacktest(configuration: config)
        var result: BacktestResult?
        var skipped: [ModelKind: String] = [:]
        for model in timer.wrapped {
            do {
                let r = try backtest.run([model], on: history)
                if result == nil { result = r } else {
                    result!.forecasts += r.forecasts; result!.scores += r.scores
                    result!.intervalChoices.merge(r.intervalChoices) { a, _ in a }
                }
            } catch {
                skipped[model.kind] = reason(error)
            }
        }
        guard let result else {
            throw AppError.invalid("backtest of \(name) failed for every model: "
                                 + skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
        }
        let seconds = Date().timeIntervalSince(started)
        let stored = StoredBacktest(
            symbol: name, models: models.filter { skipped[$0] == nil }, configuration: describe(config),
            dataFirst: first, dataLast: last, origins: result.originCount, maseScale: result.maseScale,
            seconds: seconds, created: Timestamp.iso(Date()),
            rows: result.forecasts.map { f in
                let i80 = f.intervals.first { $0.level == 80 }, i95 = f.intervals.first { $0.level == 95 }
                return StoredBacktest.Row(model: f.model, originDate: f.originDate, horizon: f.horizon, targetDate: f.targetDate,
                                          point: f.point, lower80: i80?.lower, upper80: i80?.upper, lower95: i95?.lower,
                                          upper95: i95?.upper, actual: f.actual)
            },
            scores: result.scores)
        let id = try database.saveBacktest(stored)
        let baseline = Seasonality.baseline(history)
        let errors = result.errorsByOrigin
        let judged = Set(result.scores.map(\.model)).filter { $0.isNeural || $0 == .auto }.sorted()
        let verdicts = result.scores.contains { $0.model == baseline }
            ? judged.map { Verdict.judge($0, against: baseline, in: result.scores, errors: errors,
                                         originStep: config.originStep) } : []
        return BacktestReport(backtestID: id, symbol: name, first: first, last: last,
                              origins: result.originCount, horizons: config.horizons, seconds: seconds,
                              neuralTrainingSeconds: timer.fitSeconds(), skipped: skipped, rows: result.scores,
                              verdicts: verdicts, intervals: config.intervals, intervalChoices: result.intervalChoices,
                              calibrationOrigins: result.calibrationOriginCount)
    }

    /// A model's stored backtest forecasts at one horizon as the coverage chart reads them (those with
    /// an actual and both intervals, in origin order); nil when there are fewer than two.
    static func coverageTrack(_ rows: [StoredBacktest.Row], model: ModelKind, horizon: Int, method: String?) -> CoverageTrack? {
        let kept = rows.filter { $0.model == model && $0.horizon == horizon }.compactMap { r
            -> (CivilDate, Double, Double, Double, Double, Double)? in
            guard let d = r.targetDate, let a = r.actual, let l80 = r.lower80, let u80 = r.upper80,
                  let l95 = r.lower95, let u95 = r.upper95 else { return nil }
            return (d, a, l80, u80, l95, u95)
        }
        guard kept.count >= 2 else { return nil }
        return CoverageTrack(model: model, horizon: horizon, method: method, dates: kept.map(\.0), actual: kept.map(\.1),
                             bands: [PredictionInterval(level: 80, lower: kept.map(\.2), upper: kept.map(\.3)),
                                     PredictionInterval(level: 95, lower: kept.map(\.4), upper: kept.map(\.5))])
    }

    /// Writes the rolling-coverage chart (SVG) of a stored backtest's `model` at `horizon` to `path`
    /// (replacing the file whole).
    /// - Throws: `AppError.invalid` when the model has too few forecasts with intervals there, or the
    ///   file cannot be written.
    public static func writeCoverageChart(backtestID: Int64, model: ModelKind, horizon: Int, method: String?, to path: String,
                                          database: AugurDatabase) throws {
        guard let b = try database.backtest(id: backtestID) else { throw AppError.notFound("backtest \(backtestID)") }
        guard let track = coverageTrack(b.rows, model: model, horizon: horizon, method: method) else {
            throw AppError.invalid("\(model.name) has too few backtest forecasts with intervals at h=\(horizon) for a coverage chart")
        }
        do {
            try CoverageChart.svg(track, symbol: b.symbol).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw AppError.invalid("cannot write the coverage chart to \(path): \(error.localizedDescription)")
        }
    }

    /// Why a model was left out, in the user's words.
    static func reason(_ error: ForecastError) -> String {
        switch error {
        case .training(_, .seriesTooShort(_, let needed, let got)):
            return "too short to train on before the first origin: needs at least \(needed) observations, has \(got)"
        case .training(_, let e): return "\(e)"
        case .insufficientData(_, let needed, let got): return "needs at least \(needed) observations, has \(got)"
        default: return "\(error)"
        }
    }

    /// The protocol as stored with a backtest (and matched by the report).
    static func describe(_ c: BacktestConfiguration) -> String {
        "{\"window\":\(c.window),\"test_fraction\":\(c.testFraction),\"origin_step\":\(c.originStep),"
            + "\"horizons\":\(c.horizons),\"levels\":\(c.levels),\"intervals\":\"\(c.intervals.rawValue)\"}"
    }
}

/// Wraps forecasters to time their `fit` calls (the neural models' training time goes in the report).
final class TimingForecasters: @unchecked Sendable {
    private(set) var wrapped: [any Forecaster] = []
    private var seconds: [ModelKind: Double] = [:]
    private let lock = NSLock()

    init(_ models: [any Forecaster]) {
        wrapped = models.map { m in
            guard m.kind.isNeural else { return m }
            return TimedForecaster(base: m, sink: self)
        }
    }

    func add(_ kind: ModelKind, _ s: Double) { lock.lock(); seconds[kind, default: 0] += s; lock.unlock() }
    func fitSeconds() -> [ModelKind: Double] { lock.lock(); defer { lock.unlock() }; return seconds }
}

struct TimedForecaster: Forecaster {
    var base: any Forecaster
    let sink: TimingForecasters
    var kind: ModelKind { base.kind }
    var refitPolicy: RefitPolicy { base.refitPolicy }

    mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        let t0 = Date()
        try base.fit(history)
        sink.add(kind, Date().timeIntervalSince(t0))
    }

    mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        try base.observe(history, newObservationCount: newObservationCount)
    }

    func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast { try base.predict(horizon: horizon, levels: levels) }
}
