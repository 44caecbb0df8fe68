import AugurCore
import AugurNN
import Foundation

/// The encoder-decoder behind the `Forecaster` protocol (`ModelKind.seq2seq`).
///
/// `fit` trains on the history's log returns (`Seq2SeqTrainer`: validation split, early stopping,
/// NaN guard) and calibrates conformal intervals per horizon from the log-price errors of
/// free-running forecasts at the newest origins. `observe` only remembers the new end of the
/// history: the encoder reads the last `encoderWindow` returns at every `predict`, so nothing is
/// retrained or carried. `predict` decodes `horizon` steps; beyond the trained horizon it simply
/// keeps decoding, each output fed back (those steps were never trained, and their intervals widen
/// by √h from the last calibrated horizon). Every forecast return is multiplied by the horizon's
/// `returnScale` factor fitted in training (the last one beyond the trained horizon); the
/// calibration residuals are those of the scaled forecasts.
///
/// ```swift
/// var config = Seq2SeqConfiguration()
/// config.training.hidden = 16
/// var model: any Forecaster = Seq2SeqForecaster(configuration: config)
/// try model.fit(TimeSeriesHistory(values: closes))
/// let f = try model.predict(horizon: 20, levels: [80, 95])
/// ```
public struct Seq2SeqForecaster: Forecaster {
    public var configuration: Seq2SeqConfiguration
    public var refitPolicy: RefitPolicy
    public private(set) var model: Seq2SeqModel<Float>?
    public private(set) var scaler: Scaler?
    public private(set) var calibration: NeuralCalibration?
    public private(set) var lastTraining: Seq2SeqTrainingResult?
    /// The factor on the forecast return per horizon, kept with the calibration (empty: 1 at every horizon).
    public var returnScale: [Double] { calibration?.returnScale ?? [] }
    /// The newest `encoderWindow` log returns and the last price of the history seen so far.
    public private(set) var recentReturns: [Double] = []
    public private(set) var lastPrice: Double?

    public let kind = ModelKind.seq2seq

    public init(configuration: Seq2SeqConfiguration, refitEvery: Int? = nil) {
        self.configuration = configuration
        refitPolicy = refitEvery.map { .everyNthOrigin($0) } ?? .once
    }

    /// A stored model, positioned at the end of `history` (its newest `encoderWindow` returns).
    public init(configuration: Seq2SeqConfiguration, model: Seq2SeqModel<Float>, scaler: Scaler,
                calibration: NeuralCalibration?, history: TimeSeriesHistory) throws(ForecastError) {
        self.init(configuration: configuration)
        self.model = model
        self.scaler = scaler
        self.calibration = calibration
        try observe(history, newObservationCount: history.count)
    }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        let changes = history.returnKind
        let r = try Self.returns(history.values, kind: changes)
        do {
            let result = try Seq2SeqTrainer(configuration: configuration).train(returns: r)
            model = result.model
            var s = result.scaler
            s.returnKind = changes == .log ? nil : changes
            scaler = s
            lastTraining = result
            calibration = try calibrate(returns: r, returnScale: result.returnScale)
        } catch { throw .training(model: kind, TrainingError(error)) }
        remember(r, lastPrice: history.values[history.count - 1])
    }

    public mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        guard model != nil else { return try fit(history) }
        let tail = history.suffix(configuration.encoderWindow + 1)
        remember(try Self.returns(tail.values, kind: scaler?.changes ?? history.returnKind), lastPrice: history.values[history.count - 1])
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        guard horizon >= 1 else { throw .invalidHorizon(horizon) }
        guard let model, let scaler, let lastPrice else { throw .notFitted(model: name) }
        let Le = configuration.encoderWindow
        guard recentReturns.count == Le else {
            throw .insufficientData(model: name, needed: Le + 1, got: recentReturns.count + 1)
        }
        let returns = try Self.forecastReturns(model, scaler: scaler, windows: [recentReturns[...]], horizon: horizon,
                                               returnScale: returnScale)[0]
        let prices = NeuralModel.prices(from: lastPrice, returns: returns, kind: scaler.changes)
        let intervals = try (calibration ?? NeuralCalibration(logResiduals: [])).intervals(prices: prices, levels: levels)
        return Forecast(model: kind, point: prices, intervals: intervals)
    }

    /// Log-price residuals per horizon k + 1 at the newest origins (`calibrationPolicy`):
    /// Σ actual − Σ forecast returns over k + 1 steps.
    func calibrate(returns r: [Double], returnScale: [Double]) throws(TrainingError) -> NeuralCalibration {
        guard let model, let scaler else { return NeuralCalibration(logResiduals: [], returnScale: returnScale) }
        let additive = scaler.changes == .difference
        let Le = configuration.encoderWindow, Hd = configuration.horizon, n = r.count
        let count = configuration.calibrationPolicy.originCount(available: n)
        let origins = Array(max(Le - 1, n - 1 - count)..<(n - 1))   // origin o: the last return read
        guard !origins.isEmpty else {
            return NeuralCalibration(logResiduals: Array(repeating: [], count: Hd), returnScale: returnScale, additive: additive)
        }
        let forecasts: [[Double]]
        do {
            forecasts = try Self.forecastReturns(model, scaler: scaler, windows: origins.map { r[($0 - Le + 1)...$0] },
                                                 horizon: Hd, returnScale: returnScale)
        } catch { throw TrainingError(error) }
        let residuals = CalibrationPolicy.logResiduals(origins: origins, forecastReturns: forecasts, horizon: Hd,
                                                       count: n) { o, h in (1...h).reduce(0.0) { $0 + r[o + $1] } }
        return NeuralCalibration(logResiduals: residuals, returnScale: returnScale, additive: additive)
    }

    /// Free-running forecasts of raw log returns, one row per window of Le raw returns, each
    /// multiplied by its horizon's factor in `returnScale` (the last one beyond its end; none if empty).
    static func forecastReturns(_ model: Seq2SeqModel<Float>, scaler: Scaler, windows: [ArraySlice<Double>],
                                horizon: Int, returnScale: [Double] = []) throws(ForecastError) -> [[Double]] {
        let B = windows.count, Le = windows[0].count
        var x = [Float](repeating: 0, count: Le * B)
        for (b, w) in windows.enumerated() {
            for (s, v) in w.enumerated() { x[s * B + b] = Float(scaler.scale(v, feature: 0)) }
        }
        let y: [Float]
        do { y = try model.predict(x, steps: Le, batch: B, horizon: horizon, state: nil) } catch {
            throw .training(model: .seq2seq, TrainingError(error))
        }
        let factor = (0..<horizon).map { k in returnScale.isEmpty ? 1 : returnScale[min(k, returnScale.count - 1)] }
        return (0..<B).map { b in (0..<horizon).map { scaler.unscale(Double(y[$0 * B + b]), feature: 0) * factor[$0] } }
    }

    /// Log returns of a price series (which must be positive), differences of a value series.
    static func returns(_ prices: [Double], kind: ReturnKind) throws(ForecastError) -> [Double] {
        if kind == .log, let bad = prices.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw .invalidParameter(name: "price", value: prices[bad], reason: "prices must be positive and finite")
        }
        return prices.count < 2 ? [] : (1..<prices.count).map { kind.change(from: prices[$0 - 1], to: prices[$0]) }
    }

    private mutating func remember(_ r: [Double], lastPrice: Double) {
        recentReturns = Array(r.suffix(configuration.encoderWindow))
        self.lastPrice = lastPrice
    }
}
