import Testing
import Foundation
import AugurCore
import AugurForecast

// The statsforecast anchors (same protocol) for the naive models. Our MASE uses one scale per series:
// the in-sample naive MAE (m = 1) of the S&P training part, the seasonal-naive MAE (m = 12) of the
// airline training part, both the window before the first origin. That variant reproduces the anchors to
// 3 decimals; scaling by the data before each origin instead gives 1.64/3.65/6.05 for S&P naive.
@Test func naiveMASEMatchesStatsforecastAnchorsOnSP500() throws {
    let history = try AnchorData.sp500()
    #expect(history.count == 5031 && history.frequency == .daily)
    let result = try RollingOriginBacktest(configuration: .standard(for: .daily))
        .run([NaiveForecaster()], on: history)
    #expect(result.originCount == 40 && result.maseSeasonLength == 1)
    // Anchors: naive MASE 1.729 / 3.871 / 6.372 at h = 1 / 5 / 20; tolerance 0.01.
    for (h, anchor) in [(1, 1.729), (5, 3.871), (20, 6.372)] {
        let mase = try #require(result.value(.mase, model: .naive, horizon: h))
        #expect(abs(mase - anchor) < 0.01, "h=\(h): \(mase) vs anchor \(anchor)")
    }
    // The naive model is its own baseline.
    #expect(result.value(.relativeMAE, model: .naive, horizon: 5) == 1)
}

@Test func seasonalNaiveMASEMatchesStatsforecastAnchorsOnAirline() throws {
    let history = try AnchorData.airline()
    #expect(history.count == 144 && history.frequency == .monthly)
    let result = try RollingOriginBacktest(configuration: .standard(for: .monthly))
        .run([SeasonalNaiveForecaster()], on: history)
    // 144 · 0.2 = 28.8 → 28 test points, an origin at each; the seasonality test picks m = 12 for the scale.
    #expect(result.originCount == 28 && result.maseSeasonLength == 12)
    // Anchors: seasonal naive MASE 1.404 / 1.654 / 1.705 at h = 1 / 6 / 12; tolerance 0.01.
    for (h, anchor) in [(1, 1.404), (6, 1.654), (12, 1.705)] {
        let mase = try #require(result.value(.mase, model: .snaive, horizon: h))
        #expect(abs(mase - anchor) < 0.01, "h=\(h): \(mase) vs anchor \(anchor)")
    }
    // At h = 12 only origins whose target is inside the data are scored: 28 − 11 = 17.
    #expect(result.scores.first { $0.horizon == 12 }?.count == 17)
}

/// 30 monthly values 1, 2, …, 30 dated from Jan 2000, a test part of 6 (20%).
private func smallHistory(_ values: [Double]? = nil) throws -> TimeSeriesHistory {
    let v = values ?? (1...30).map(Double.init)
    return try TimeSeriesHistory(values: v, dates: v.indices.map { CivilDateFixture.month(2000, 1).adding(months: $0) })
}

@Test func forecastRecordsCarryOriginTargetAndActual() throws {
    let config = BacktestConfiguration(originStep: 2, horizons: [1, 3], maseSeasonLength: 1)
    let result = try RollingOriginBacktest(configuration: config).run([DriftForecaster()], on: smallHistory())
    // First origin sees 24 values (indices 0…23); origins every 2 → sees 24, 26, 28.
    #expect(result.originCount == 3 && result.firstOriginIndex == 23)
    let first = result.forecasts[0]
    #expect(first.originIndex == 23 && first.originValue == 24 && first.horizon == 1)
    #expect(first.targetIndex == 24 && first.actual == 25 && first.point == 25)   // drift 1 per step
    #expect(first.originDate == CivilDateFixture.month(2001, 12) && first.targetDate == CivilDateFixture.month(2002, 1))
    // The last origin (index 27) at h = 3 targets index 30, past the data: recorded, dated, not scored.
    let last = try #require(result.forecasts.last)
    #expect(last.targetIndex == 30 && last.actual == nil && last.targetDate == CivilDateFixture.month(2002, 7))
    #expect(result.scores.map(\.count) == [3, 2])
    // Drift is exact on a line: every error metric is zero and every interval covers.
    #expect(result.value(.mae, model: .drift, horizon: 3) == 0)
    #expect(result.value(.coverage95, model: .drift, horizon: 1) == 100)
}

@Test func nothingAtOrAfterAnOriginLeaksIntoItsForecasts() throws {
    // Change every value from index 26 on; forecasts from origins that saw ≤ 26 values, and MASE's scale,
    // must not change.
    let config = BacktestConfiguration(originStep: 1, horizons: [1, 2], maseSeasonLength: 1)
    let models: [any Forecaster] = [NaiveForecaster(), DriftForecaster(), MeanForecaster(),
                                    SeasonalNaiveForecaster(season: 3)]
    let base = (1...30).map { Double($0) + Double($0 % 3) }
    var changed = base
    for i in 26..<30 { changed[i] = base[i] * 7 - 100 }
    let a = try RollingOriginBacktest(configuration: config).run(models, on: smallHistory(base))
    let b = try RollingOriginBacktest(configuration: config).run(models, on: smallHistory(changed))
    #expect(a.maseScale == b.maseScale)
    let early = { (f: BacktestForecast) in f.originIndex < 26 }
    let pa = a.forecasts.filter(early), pb = b.forecasts.filter(early)
    #expect(!pa.isEmpty && pa.map(\.point) == pb.map(\.point) && pa.map(\.intervals) == pb.map(\.intervals))
    // …while forecasts from later origins do see the change.
    #expect(a.forecasts.filter { !early($0) }.map(\.point) != b.forecasts.filter { !early($0) }.map(\.point))
}

/// A stand-in for a neural model that is trained once and then only advances its state: it records
/// which calls the backtest made, and forecasts the last value it was told about.
private final class StatefulProbe: Forecaster {
    let kind = ModelKind.rnn   // any kind but naive: the backtest keys rows by kind
    var refitPolicy: RefitPolicy { .once }
    var fits: [Int] = [], observations: [Int] = []
    private var last = 0.0

    func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        fits.append(history.count)
        last = history.values[history.count - 1]
    }

    func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        observations.append(newObservationCount)
        last = history.values[history.count - 1]
    }

    func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        Forecast(model: kind, point: Array(repeating: last, count: horizon), intervals: [])
    }
}

@Test func statefulModelIsFittedOnceThenToldNewObservations() throws {
    let probe = StatefulProbe()
    let config = BacktestConfiguration(originStep: 2, horizons: [1], maseSeasonLength: 1, intervals: .model)
    let result = try RollingOriginBacktest(configuration: config).run([probe, NaiveForecaster()], on: smallHistory())
    #expect(probe.fits == [24] && probe.observations == [2, 2])
    // Forecasting the last value it was told about, it matches naive exactly; a model without intervals
    // simply has no coverage or pinball entries.
    #expect(result.value(.mae, model: .rnn, horizon: 1) == result.value(.mae, model: .naive, horizon: 1))
    #expect(result.value(.coverage80, model: .rnn, horizon: 1) == nil)
    // The configuration can override the model's policy.
    let everyOrigin = StatefulProbe()
    var refitting = config
    refitting.refitPolicy = .everyOrigin
    _ = try RollingOriginBacktest(configuration: refitting).run([everyOrigin], on: smallHistory())
    #expect(everyOrigin.fits == [24, 26, 28] && everyOrigin.observations.isEmpty)
    // Calibrated intervals need the model's errors before the first scored origin: it is fitted at the
    // first calibration origin (half the training part) and told every observation from there; at the
    // first scored origin it is fitted again, as without calibration (the scored forecasts do not
    // depend on the intervals scored), and a model without intervals of its own gets them.
    let calibrated = StatefulProbe()
    var calibrating = config
    calibrating.intervals = .calibrated
    let c = try RollingOriginBacktest(configuration: calibrating).run([calibrated], on: smallHistory())
    #expect(calibrated.fits == [12, 24] && calibrated.observations == Array(repeating: 1, count: 16))
    #expect(c.calibrationOriginCount == 12 && c.originCount == 3)
    #expect(c.value(.coverage80, model: .rnn, horizon: 1) != nil)
}

/// Forecasts the mean of the history it was last fitted on, whatever it is told later: its forecasts
/// show where it was fitted.
private struct FitAnchoredProbe: Forecaster {
    let kind = ModelKind.lstm
    let refitPolicy: RefitPolicy
    private var anchor = 0.0
    init(_ policy: RefitPolicy) { refitPolicy = policy }
    mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) { anchor = history.values.reduce(0, +) / Double(history.count) }
    mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {}
    func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        Forecast(model: kind, point: Array(repeating: anchor, count: horizon), intervals: [])
    }
}

@Test func scoredPointForecastsDoNotDependOnTheIntervalsScored() throws {
    // A model fitted once, or every second origin, forecasts the same at the scored origins whether the
    // backtest also forecasts from calibration origins before them or not.
    for policy in [RefitPolicy.once, .everyNthOrigin(2)] {
        var points: [[Double]] = []
        for intervals in [IntervalPolicy.model, .split, .calibrated] {
            let config = BacktestConfiguration(originStep: 2, horizons: [1, 3], maseSeasonLength: 1, intervals: intervals)
            let result = try RollingOriginBacktest(configuration: config).run([FitAnchoredProbe(policy)], on: smallHistory())
            points.append(result.forecasts.map(\.point))
        }
        #expect(points[0].count == 6 && points[1] == points[0] && points[2] == points[0], "\(policy): \(points)")
        // Fitted at the first scored origin (24 observations), not at the first calibration origin.
        #expect(points[0][0] == 12.5)   // the mean of 1 … 24
    }
}

@Test func futureDatesSkipWeekendsForDailyAndStepMonths() throws {
    // Friday 2018-12-28 → Mon 31 Dec, then (holiday 1 Jan given) Wed 2 Jan.
    let daily = try TimeSeriesHistory(values: [1, 2, 3], dates: [CivilDateFixture.day(2018, 12, 26),
                                                                  CivilDateFixture.day(2018, 12, 27),
                                                                  CivilDateFixture.day(2018, 12, 28)])
    let holidays = TradingCalendar(holidays: [CivilDateFixture.day(2019, 1, 1)])
    #expect(daily.futureDates(count: 2, calendar: holidays) == [CivilDateFixture.day(2018, 12, 31),
                                                                CivilDateFixture.day(2019, 1, 2)])
    #expect(try smallHistory().futureDates(count: 2) == [CivilDateFixture.month(2002, 7), CivilDateFixture.month(2002, 8)])
    #expect(try TimeSeriesHistory(values: [1, 2]).futureDates(count: 2).isEmpty)
}

/// Every classical model through both anchor protocols. Set AUGUR_PRINT_ANCHOR_TABLE=1 to print the MASE
/// table (the one in the AugurForecast report).
@Test func everyBaselineRunsThroughBothAnchorProtocols() throws {
    func models() -> [any Forecaster] {
        [NaiveForecaster(), DriftForecaster(), SeasonalNaiveForecaster(), MeanForecaster(),
         SimpleExponentialSmoothing(), HoltForecaster(), ThetaForecaster()]
    }
    let sp = try RollingOriginBacktest(configuration: .standard(for: .daily)).run(models(), on: AnchorData.sp500())
    let air = try RollingOriginBacktest(configuration: .standard(for: .monthly)).run(models(), on: AnchorData.airline())
    for (result, horizons) in [(sp, [1, 5, 20]), (air, [1, 6, 12])] {
        for model in models().map(\.kind) {
            for h in horizons {
                let mase = try #require(result.value(.mase, model: model, horizon: h))
                #expect(mase.isFinite && mase > 0)
                #expect(result.value(.coverage95, model: model, horizon: h) != nil)
            }
        }
    }
    // What any sane classical model does here: on the random-walk-like S&P nothing beats naive by much,
    // and on airline the seasonal theta model beats seasonal naive at every horizon.
    #expect(try #require(sp.value(.relativeMAE, model: .ses, horizon: 1)) > 0.95)
    for h in [1, 6, 12] {
        #expect(try #require(air.value(.mase, model: .theta, horizon: h)) < air.value(.mase, model: .snaive, horizon: h)!)
    }
    if ProcessInfo.processInfo.environment["AUGUR_PRINT_ANCHOR_TABLE"] != nil {
        for (label, result, horizons) in [("S&P 500", sp, [1, 5, 20]), ("airline", air, [1, 6, 12])] {
            for model in models().map(\.kind) {
                let cells = horizons.map { h in
                    [Metric.mase, .relativeMAE, .coverage80, .coverage95].map { m in
                        String(format: "%.3f", result.value(m, model: model, horizon: h) ?? .nan)
                    }.joined(separator: "/")
                }
                print("\(label)\t\(model)\t" + cells.joined(separator: "\t"))
            }
        }
    }
}
