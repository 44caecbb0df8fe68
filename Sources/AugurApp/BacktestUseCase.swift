import AugurCore
import AugurForecast
import AugurNN
import AugurStore
import Foundation

/// One model × horizon line of a backtest table; metric names are the lower-case ones of `--json`.
public struct BacktestTableRow: Sendable, Codable, Equatable {
    public var model: String
    public var horizon: Int
    public var count: Int
    public var mae: Double?
    public var rmse: Double?
    public var mape: Double?
    public var smape: Double?
    public var mase: Double?
    public var rel_mae: Double?
    public var direction: Double?
    public var coverage80: Double?
    public var coverage95: Double?
    public var pinball: Double?
}

public struct BacktestReport: Sendable, Codable {
    public var backtestID: Int64
    public var symbol: String
    public var first: CivilDate
    public var last: CivilDate
    public var origins: Int
    public var horizons: [Int]
    public var seconds: Double
    /// Seconds spent fitting each neural model before the first origin.
    public var neuralTrainingSeconds: [String: Double]
    /// Models left out, with the reason (e.g. a history too short to train on).
    public var skipped: [String: String]
    public var rows: [BacktestTableRow]

    /// Does each neural model beat the random walk (naive) by MASE at each horizon? One sentence per model.
    public var verdicts: [String] {
        let neural = Set(rows.map(\.model)).filter { BacktestUseCase.neuralNames.contains($0) }.sorted()
        return neural.map { m in
            let parts = horizons.compactMap { h -> String? in
                guard let a = rows.first(where: { $0.model == m && $0.horizon == h })?.mase,
                      let n = rows.first(where: { $0.model == "naive" && $0.horizon == h })?.mase else { return nil }
                let pct = (a / n - 1) * 100
                return String(format: "h=%d %@ (MASE %.3f vs %.3f, %+.1f%%)", h, a < n ? "beats it" : "does not beat it", a, n, pct)
            }
            return "\(m) vs the random walk (naive): " + parts.joined(separator: "; ") + "."
        }
    }
}

public enum BacktestUseCase {
    public static let neuralNames: Set<String> = ["lstm", "gru", "rnn", "seq2seq"]
    public static let allModels = ["lstm", "gru", "seq2seq", "naive", "drift", "snaive", "mean", "ses", "holt", "theta"]

    /// Builds the forecasters named in `models`. Neural ones use the symbol's newest saved
    /// configuration for that cell (or the defaults) and train on the data before the first origin.
    static func forecasters(_ models: [String], symbol: String, season: Int?, refitEvery: Int?,
                            database: AugurDatabase) throws -> [any Forecaster] {
        try models.map { name -> any Forecaster in
            switch name {
            case "naive": return NaiveForecaster()
            case "drift": return DriftForecaster()
            case "snaive": return SeasonalNaiveForecaster(season: season)
            case "mean": return MeanForecaster()
            case "ses": return SimpleExponentialSmoothing()
            case "holt": return HoltForecaster()
            case "theta": return ThetaForecaster(season: season)
            case "lstm", "gru", "rnn":
                var cfg = TrainingConfiguration()
                if let saved = try database.latestModel(for: symbol, cell: name) { cfg = try ModelCodec.configuration(saved) }
                cfg.cell = CellKindName.parse(name)
                cfg.threads = 1
                return NeuralForecaster(configuration: cfg, refitEvery: refitEvery)
            case "seq2seq":
                var cfg = Seq2SeqConfiguration()
                if let saved = try database.latestModel(for: symbol, cell: "seq2seq"),
                   let c = try? JSONDecoder().decode(Seq2SeqConfiguration.self, from: Data(saved.configuration.utf8)) {
                    cfg = c
                }
                cfg.training.threads = 1
                return Seq2SeqForecaster(configuration: cfg, refitEvery: refitEvery)
            default:
                throw AppError.usage("unknown model '\(name)'; choose from \(allModels.joined(separator: ",")),rnn,seq2seq")
            }
        }
    }

    /// Runs the rolling-origin protocol and stores the result. The same data, models and seed give
    /// the same numbers.
    public static func run(symbol: String, models: [String] = allModels, horizons: [Int]? = nil, season: Int? = nil,
                           refitEvery: Int? = nil, database: AugurDatabase) throws -> BacktestReport {
        let started = Date()
        let series = try database.series(for: symbol)
        let name = try database.read { try AugurDatabase.canonicalName($0, symbol) }
        let history = try TimeSeriesHistory(series: series)
        var config = BacktestConfiguration.standard(for: history.frequency ?? .daily)
        if let horizons { config.horizons = horizons }
        let forecasters = try forecasters(models, symbol: name, season: season, refitEvery: refitEvery, database: database)
        let timer = TimingForecasters(forecasters)
        // One model at a time, so a model that cannot be fitted here (a neural net on too short a
        // history) is reported and left out instead of sinking the whole backtest.
        let backtest = RollingOriginBacktest(configuration: config)
        var result: BacktestResult?
        var skipped: [String: String] = [:]
        for model in timer.wrapped {
            do {
                let r = try backtest.run([model], on: history)
                if result == nil { result = r } else { result!.forecasts += r.forecasts; result!.scores += r.scores }
            } catch {
                skipped[model.name] = "\(error)"
            }
        }
        guard let result else {
            throw AppError.usage("backtest of \(name) failed for every model: "
                                 + skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
        }
        let seconds = Date().timeIntervalSince(started)
        let rows = table(result, order: models)
        let models = models.filter { skipped[$0] == nil }
        let stored = StoredBacktest(
            symbol: name, models: models, configuration: describe(config), dataFirst: series.first!, dataLast: series.last!,
            origins: result.originCount, maseScale: result.maseScale, seconds: seconds, created: Timestamp.iso(Date()),
            rows: result.forecasts.map { f in
                let i80 = f.intervals.first { $0.level == 80 }, i95 = f.intervals.first { $0.level == 95 }
                return StoredBacktest.Row(model: f.model, originDate: f.originDate, horizon: f.horizon, targetDate: f.targetDate,
                                          point: f.point, lower80: i80?.lower, upper80: i80?.upper, lower95: i95?.lower,
                                          upper95: i95?.upper, actual: f.actual)
            },
            scores: result.scores.map { s in
                StoredBacktest.Score(model: s.model, horizon: s.horizon, count: s.count,
                                     metrics: Dictionary(uniqueKeysWithValues: s.values.map { (metricName($0.key), $0.value) }))
            })
        let id = try database.saveBacktest(stored)
        return BacktestReport(backtestID: id, symbol: name, first: series.first!, last: series.last!,
                              origins: result.originCount, horizons: config.horizons, seconds: seconds,
                              neuralTrainingSeconds: timer.fitSeconds(), skipped: skipped, rows: rows)
    }

    static func metricName(_ m: Metric) -> String {
        switch m {
        case .mae: return "mae"
        case .rmse: return "rmse"
        case .mape: return "mape"
        case .smape: return "smape"
        case .mase: return "mase"
        case .relativeMAE: return "rel_mae"
        case .directionalAccuracy: return "direction"
        case .coverage80: return "coverage80"
        case .coverage95: return "coverage95"
        case .pinball: return "pinball"
        }
    }

    static func table(_ r: BacktestResult, order: [String]) -> [BacktestTableRow] {
        r.scores.map { s in
            let v = s.values
            return BacktestTableRow(model: s.model, horizon: s.horizon, count: s.count, mae: v[.mae], rmse: v[.rmse],
                                    mape: v[.mape], smape: v[.smape], mase: v[.mase], rel_mae: v[.relativeMAE],
                                    direction: v[.directionalAccuracy], coverage80: v[.coverage80],
                                    coverage95: v[.coverage95], pinball: v[.pinball])
        }
    }

    static func describe(_ c: BacktestConfiguration) -> String {
        "{\"window\":\(c.window),\"test_fraction\":\(c.testFraction),\"origin_step\":\(c.originStep),"
            + "\"horizons\":\(c.horizons),\"levels\":\(c.levels)}"
    }
}

enum CellKindName {
    static func parse(_ s: String) -> CellKind { CellKind(rawValue: s) ?? .lstm }
}

/// Wraps forecasters to time their `fit` calls (the neural models' training time goes in the report).
final class TimingForecasters: @unchecked Sendable {
    private(set) var wrapped: [any Forecaster] = []
    private var seconds: [String: Double] = [:]
    private let lock = NSLock()

    init(_ models: [any Forecaster]) {
        wrapped = models.map { m in
            guard BacktestUseCase.neuralNames.contains(m.name) else { return m }
            return TimedForecaster(base: m, sink: self)
        }
    }

    func add(_ name: String, _ s: Double) { lock.lock(); seconds[name, default: 0] += s; lock.unlock() }
    func fitSeconds() -> [String: Double] { lock.lock(); defer { lock.unlock() }; return seconds }
}

struct TimedForecaster: Forecaster {
    var base: any Forecaster
    let sink: TimingForecasters
    var name: String { base.name }
    var refitPolicy: RefitPolicy { base.refitPolicy }

    mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        let t0 = Date()
        try base.fit(history)
        sink.add(name, Date().timeIntervalSince(t0))
    }

    mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        try base.observe(history, newObservationCount: newObservationCount)
    }

    func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast { try base.predict(horizon: horizon, levels: levels) }
}
