import AugurCore

/// Runs models through the rolling-origin protocol of `BacktestConfiguration` and scores them.
///
/// ```swift
/// let history = try TimeSeriesHistory(series: sp500)
/// let backtest = RollingOriginBacktest(configuration: .standard(for: .daily))
/// let result = try backtest.run([NaiveForecaster(), SimpleExponentialSmoothing()], on: history)
/// result.value(.mase, model: .ses, horizon: 5)
/// ```
///
/// A model is asked to `fit` on the data before an origin whenever its `RefitPolicy` says so, and is
/// otherwise told the observations since the previous origin with `observe`; either way it never sees a
/// value at or after the origin. MASE's scale comes from the training part (the window before the first
/// origin), so no statistic depends on test data. This is the variant that reproduces the statsforecast
/// anchors: utilsforecast's `mase(..., train_df=train)` with one scale per series.
public struct RollingOriginBacktest: Sendable {
    public var configuration: BacktestConfiguration
    public var calendar: TradingCalendar

    public init(configuration: BacktestConfiguration, calendar: TradingCalendar = TradingCalendar()) {
        self.configuration = configuration
        self.calendar = calendar
    }

    public func run(_ models: [any Forecaster], on history: TimeSeriesHistory) throws(ForecastError) -> BacktestResult {
        let config = configuration
        try config.validate()
        let windowStart = max(0, history.count - config.window)
        let data = history.suffix(config.window)
        let n = data.count
        let testCount = Int((Double(n) * config.testFraction).rounded(.down))
        let firstOrigin = n - testCount
        guard testCount >= 1, firstOrigin >= 2 else {
            throw .insufficientData(model: "backtest", needed: Int((2 / (1 - config.testFraction)).rounded(.up)) + 1, got: n)
        }
        let training = Array(data.values[..<firstOrigin])
        let maseSeason = config.maseSeasonLength ?? Seasonality.modelPeriod(for: training, frequency: data.frequency)
        // A constant training part has no naive error to scale by: MASE is then undefined (and says
        // why), every other metric is still computed.
        let maseScale = try? Metric.maseScale(training: training, seasonLength: maseSeason)
        // `origin` counts the observations a model may see: values[0 ..< origin].
        let origins = Array(stride(from: firstOrigin, to: n, by: config.originStep))
        let maxHorizon = config.horizons.max() ?? 1
        // Calibration origins: a grid at the calibration step, from before the first scored origin (its
        // first fit keeps at least half of the training part) to the end; the union with the scored
        // origins is what every model forecasts from.
        let grid: [Int]
        if config.intervals == .model {
            grid = []
        } else {
            let earliest = max(firstOrigin / 2, firstOrigin - config.calibrationSpan, 2)
            let before = max(0, (firstOrigin - earliest) / config.calibrationStep)
            grid = Array(stride(from: firstOrigin - before * config.calibrationStep, to: n, by: config.calibrationStep))
        }
        let gridSet = Set(grid)
        let allOrigins = Array(gridSet.union(origins)).sorted()
        let scoredSet = Set(origins)
        let candidates = IntervalMethod.calibrationCandidates(for: data, step: config.calibrationStep)
        let calibrator = IntervalCalibrator(values: data.values, levels: config.levels, horizon: maxHorizon,
                                            returnKind: ReturnKind.of(training, kind: data.kind), estimationEnd: firstOrigin,
                                            preparing: config.intervals == .calibrated ? candidates.methods.map(\.volatility) : [])

        var forecasts: [BacktestForecast] = []
        var scores: [BacktestScore] = []
        var choices: [ModelKind: IntervalChoice] = [:]
        let prefixes = allOrigins.map { data.prefix($0) }
        for model in models {
            // The refit count starts again at the scored origins: a model fitted once (a neural net) is
            // fitted again at the first scored origin, so its scored forecasts are not those of a model
            // trained up to the earliest calibration origin.
            let paths = try forecastPaths(of: model, from: prefixes, policy: config.refitPolicy ?? model.refitPolicy,
                                          horizon: maxHorizon, levels: config.levels,
                                          scored: allOrigins.map(scoredSet.contains))
            // Replace the models' intervals by the calibration layer's, computed causally over the grid.
            var intervals = paths.map(\.intervals)
            let calibrationPaths = zip(allOrigins, paths).map { origin, f in
                CalibrationPath(origin: origin, point: f.point, modelIntervals: f.intervals,
                                feedsCalibration: gridSet.contains(origin))
            }
            switch config.intervals {
            case .model: break
            case .split:
                intervals = try calibrator.run(.conformal(.split), paths: calibrationPaths).intervals
                choices[model.kind] = .conformal(.split)
            case .calibrated:
                // Validation on the later grid origins of the training part, so the earliest ones
                // only fill the score windows.
                let before = grid.filter { $0 < firstOrigin }
                let validationStart = before.isEmpty ? firstOrigin : before[before.count / 4]
                let chosen = try calibrator.chooseAndRun(paths: calibrationPaths, candidates: candidates.methods,
                                                         includeModel: candidates.includeModel,
                                                         validationStart: validationStart, cutoff: firstOrigin)
                intervals = chosen.intervals
                choices[model.kind] = chosen.choice
            }
            var modelForecasts: [BacktestForecast] = []
            for (k, origin) in allOrigins.enumerated() where scoredSet.contains(origin) {
                let forecast = paths[k]
                let seen = data.prefix(origin)
                let futureDates = seen.futureDates(count: maxHorizon, calendar: calendar)
                for h in config.horizons {
                    let target = origin + h - 1
                    let inData = target < n
                    modelForecasts.append(BacktestForecast(
                        model: model.kind,
                        originIndex: windowStart + origin - 1,
                        originDate: data.dates.isEmpty ? nil : data.dates[origin - 1],
                        originValue: data.values[origin - 1],
                        horizon: h,
                        targetIndex: windowStart + target,
                        targetDate: inData ? (data.dates.isEmpty ? nil : data.dates[target])
                                           : (futureDates.isEmpty ? nil : futureDates[h - 1]),
                        point: forecast.point[h - 1],
                        intervals: intervals[k].map {
                            IntervalBounds(level: $0.level, lower: $0.lower[h - 1], upper: $0.upper[h - 1])
                        },
                        actual: inData ? data.values[target] : nil))
                }
            }
            for h in config.horizons {
                let scored = modelForecasts.filter { $0.horizon == h && $0.actual != nil }
                scores.append(score(scored, model: model.kind, horizon: h, training: training, maseSeason: maseSeason))
            }
            forecasts += modelForecasts
        }
        return BacktestResult(configuration: config, windowStart: windowStart, firstOriginIndex: windowStart + firstOrigin - 1,
                              originCount: origins.count, maseSeasonLength: maseSeason, maseScale: maseScale,
                              forecasts: forecasts, scores: scores,
                              intervalChoices: choices, calibrationOriginCount: grid.filter { $0 < firstOrigin }.count)
    }

    private func score(_ scored: [BacktestForecast], model: ModelKind, horizon: Int, training: [Double],
                       maseSeason: Int) -> BacktestScore {
        let input = MetricInput(
            actual: scored.map { $0.actual ?? .nan },
            point: scored.map(\.point),
            originValues: scored.map(\.originValue),
            intervals: configuration.levels.map { level in
                let bounds = scored.map { $0.intervals.first { abs($0.level - level) < 1e-9 } }
                guard bounds.allSatisfy({ $0 != nil }) else { return PredictionInterval(level: level, lower: [], upper: []) }
                return PredictionInterval(level: level, lower: bounds.map { $0?.lower ?? .nan },
                                          upper: bounds.map { $0?.upper ?? .nan })
            },
            // The naive forecast from an origin is the origin's value, so rel_mae needs no extra model run.
            baselinePoint: scored.map(\.originValue),
            training: training,
            seasonLength: maseSeason)
        var values: [Metric: Double] = [:], reasons: [Metric: String] = [:]
        for metric in configuration.metrics {
            do {
                let v = try metric.value(on: input)
                if v.isFinite { values[metric] = v } else { reasons[metric] = "not a finite number (the values overflow)" }
            } catch {
                switch error {
                case .undefinedMetric(_, let reason): reasons[metric] = reason
                case .missingMetricInput(_, let what): reasons[metric] = "no \(what)"
                default: reasons[metric] = "\(error)"
                }
            }
        }
        return BacktestScore(model: model, horizon: horizon, count: scored.count, values: values, reasons: reasons)
    }
}
