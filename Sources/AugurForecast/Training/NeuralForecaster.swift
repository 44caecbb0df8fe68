import AugurCore
import AugurNN
import Foundation

/// A trained recurrent model behind the `Forecaster` protocol, so backtests and reports treat it like
/// any baseline. `fit` trains on the history (with its own validation split and early stopping) and
/// calibrates conformal intervals; `observe` advances the recurrent state over new observations, one
/// step each, without retraining; `predict` forecasts recursively, each predicted return fed back as
/// the next input, and turns the returns into prices.
///
/// With `configuration.ensemble` K > 1 it is a seed ensemble: K networks trained alike with seeds
/// seed, seed + 1, …, seed + K − 1, each with its own state, forecasting the median of their paths
/// (calibrated on the median's errors).
public struct NeuralForecaster: Forecaster {
    /// One network of the forecaster and its stream's state.
    public struct Member: Sendable {
        public var model: NeuralModel
        public var state: StreamState
        public init(model: NeuralModel, state: StreamState) {
            self.model = model
            self.state = state
        }
    }

    public var configuration: TrainingConfiguration
    public var refitPolicy: RefitPolicy
    /// Where the conformal intervals are calibrated.
    public var calibrationPolicy: CalibrationPolicy
    /// The networks: one, or the K of a seed ensemble.
    public private(set) var members: [Member] = []
    public private(set) var calibration: NeuralCalibration?
    public private(set) var lastTraining: TrainingResult?
    /// With seasonal inputs: where the series stands in its season after the newest observation.
    public private(set) var cursor: SeasonalCursor?

    /// The first network (the only one unless this is an ensemble).
    public var model: NeuralModel? { members.first?.model }
    public var state: StreamState? { members.first?.state }

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
        self.init(members: [Member(model: model, state: state)], calibration: calibration, cursor: cursor)
    }

    /// Builds a forecaster from stored networks (an ensemble's members), each positioned at its state.
    public init(members: [Member], calibration: NeuralCalibration?, cursor: SeasonalCursor? = nil) {
        configuration = members.first?.model.configuration ?? TrainingConfiguration()
        refitPolicy = .once
        calibrationPolicy = .standard
        self.members = members
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
            let results = try NeuralTrainer(configuration: cfg).trainMembers([(symbol: "series", bars: bars)],
                                                                               returnKinds: [returnKind])
            let first = results[0]
            let scaler = try first.model.scaler(for: "series")
            let f = try SeriesFeatures.build(symbol: "series", bars: bars, kind: first.model.features, returnKind: returnKind,
                                             seasonal: scaler.seasonal)
            cursor = f.cursor(afterRow: f.count - 1)
            calibration = try NeuralCalibration.compute(models: results.map(\.model), features: f, scaler: scaler,
                                                        policy: calibrationPolicy)
            members = results.map { Member(model: $0.model, state: $0.finalStates[0]) }
            lastTraining = first
        } catch {
            throw .training(model: kind, error)
        }
    }

    public mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        guard let model = members.first?.model, let symbol = members.first?.state.symbol else { return try fit(history) }
        let n = history.count
        guard newObservationCount >= 1, n - newObservationCount >= 1 else { return }
        do {
            let scaler = try model.scaler(for: symbol)
            // Seasonal rows read the whole history; the others only the new observations and the one before.
            let bars = Self.bars(model.features == .seasonal ? history : history.suffix(newObservationCount + 1))
            let rows: FeatureRows
            (rows, cursor) = try model.rows(last: newObservationCount, of: bars, symbol: symbol)
            for k in members.indices {
                try members[k].model.advance(&members[k].state.state, over: rows, scaler: scaler)
                members[k].state.lastPrice = history.values[n - 1]
                if !history.dates.isEmpty { members[k].state.asOf = history.dates[n - 1] }
            }
        } catch { throw .training(model: kind, TrainingError(error)) }
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        guard horizon >= 1 else { throw .invalidHorizon(horizon) }
        guard let first = members.first else { throw .notFitted(model: name) }
        let returns: [Double], changes: ReturnKind
        do {
            let scaler = try first.model.scaler(for: first.state.symbol)
            changes = scaler.changes
            var paths: [[[Double]]] = []
            for m in members {
                paths.append(try m.model.forecastReturns(from: m.state.state, horizon: horizon, scalers: [scaler], cursors: [cursor]))
            }
            returns = SeedEnsemble.medianReturns(paths)[0]
        } catch { throw .training(model: kind, TrainingError(error)) }
        let prices = NeuralModel.prices(from: first.state.lastPrice, returns: returns, kind: changes)
        let intervals = try (calibration ?? NeuralCalibration(logResiduals: [])).intervals(prices: prices, levels: levels)
        return Forecast(model: kind, point: prices, intervals: intervals)
    }
}
