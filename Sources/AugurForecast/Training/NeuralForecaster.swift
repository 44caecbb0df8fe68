import AugurCore
import AugurNN
import Foundation

/// A trained recurrent model behind the `Forecaster` protocol, so backtests and reports treat it like
/// any baseline. `fit` trains on the history (with its own validation split and early stopping) and
/// calibrates conformal intervals; `observe` advances the recurrent state over new observations, one
/// step each, without retraining; `predict` forecasts recursively, each predicted return fed back as
/// the next input, and turns the returns into prices.
public struct NeuralForecaster: Forecaster {
    public var configuration: TrainingConfiguration
    public var refitPolicy: RefitPolicy
    /// Where the conformal intervals are calibrated.
    public var calibrationPolicy: CalibrationPolicy
    public private(set) var model: NeuralModel?
    public private(set) var state: StreamState?
    public private(set) var calibration: NeuralCalibration?
    public private(set) var lastTraining: TrainingResult?
    /// With seasonal inputs: where the series stands in its season after the newest observation.
    public private(set) var cursor: SeasonalCursor?

    public var kind: ModelKind { ModelKind(cell: configuration.cell) }

    public init(configuration: TrainingConfiguration, refitEvery: Int? = nil, calibration: CalibrationPolicy = .standard) {
        var c = configuration
        c.features = .returns   // a history holds prices only
        self.configuration = c
        refitPolicy = refitEvery.map { .everyNthOrigin($0) } ?? .once
        calibrationPolicy = calibration
    }

    /// Builds a forecaster from a model already trained (the store's), positioned at `state`.
    public init(model: NeuralModel, state: StreamState, calibration: NeuralCalibration?, cursor: SeasonalCursor? = nil) {
        configuration = model.configuration
        refitPolicy = .once
        calibrationPolicy = .standard
        self.model = model
        self.state = state
        self.calibration = calibration
        self.cursor = cursor
    }

    static func bars(_ history: TimeSeriesHistory) -> [Bar] {
        let start = CivilDate(iso: "2000-01-03")!
        return history.values.enumerated().map { i, v in
            Bar(date: history.dates.isEmpty ? start.adding(days: i) : history.dates[i], close: v)
        }
    }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        let bars = Self.bars(history)
        do {
            let returnKind = history.returnKind
            var cfg = configuration
            if history.dates.isEmpty { cfg.seasonal = .off }   // no calendar to place the seasons on
            let result = try NeuralTrainer(configuration: cfg).train([(symbol: "series", bars: bars)],
                                                                      returnKinds: [returnKind])
            let scaler = try result.model.scaler(for: "series")
            let f = try SeriesFeatures.build(symbol: "series", bars: bars, kind: result.model.features, returnKind: returnKind,
                                             seasonal: scaler.seasonal)
            cursor = f.cursor(afterRow: f.count - 1)
            calibration = try NeuralCalibration.compute(model: result.model, features: f, scaler: scaler,
                                                        policy: calibrationPolicy)
            model = result.model
            state = result.finalStates[0]
            lastTraining = result
        } catch {
            throw .training(model: kind, error)
        }
    }

    public mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        guard let model, var current = state else { return try fit(history) }
        let n = history.count
        guard newObservationCount >= 1, n - newObservationCount >= 1 else { return }
        do {
            let scaler = try model.scaler(for: current.symbol)
            if model.features == .seasonal {
                // Seasonal rows depend on the season before them: built over the history, the new ones kept.
                let f = try SeriesFeatures.build(symbol: current.symbol, bars: Self.bars(history), kind: .seasonal,
                                                 returnKind: scaler.changes, seasonal: scaler.seasonal)
                try model.advance(&current.state, over: f.raw[(f.count - newObservationCount)...], scaler: scaler)
                cursor = f.cursor(afterRow: f.count - 1)
            } else {
                let rows = ((n - newObservationCount)..<n).map { [scaler.changes.change(from: history.values[$0 - 1], to: history.values[$0])] }
                try model.advance(&current.state, over: rows[...], scaler: scaler)
            }
        } catch { throw .training(model: kind, TrainingError(error)) }
        current.lastPrice = history.values[n - 1]
        if !history.dates.isEmpty { current.asOf = history.dates[n - 1] }
        state = current
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        guard horizon >= 1 else { throw .invalidHorizon(horizon) }
        guard let model, let state else { throw .notFitted(model: name) }
        let returns: [Double], changes: ReturnKind
        do {
            let scaler = try model.scaler(for: state.symbol)
            changes = scaler.changes
            returns = try model.forecastReturns(from: state.state, horizon: horizon, scalers: [scaler], cursors: [cursor])[0]
        } catch { throw .training(model: kind, TrainingError(error)) }
        let prices = NeuralModel.prices(from: state.lastPrice, returns: returns, kind: changes)
        let intervals = try (calibration ?? NeuralCalibration(logResiduals: [])).intervals(prices: prices, levels: levels)
        return Forecast(model: kind, point: prices, intervals: intervals)
    }
}
