import AugurCore
import AugurForecast
import Foundation
import Testing

/// Value series (any finite number): models work on differences and intervals are additive, so moving
/// a series by a constant moves every forecast and bound by that constant — which log returns could
/// never do — and a series that crosses zero forecasts without NaN.
@Suite struct ValueSeriesTests {
    /// A mean-reverting series around `level` that crosses zero when level is small: AR(1) plus a cycle.
    func series(_ n: Int, level: Double, seed: UInt64 = 7) -> [Double] {
        var noise = GaussianNoise(seed: seed), x = 0.0
        return (0..<n).map { t in
            x = 0.8 * x + 0.3 * noise.next()
            return level + sin(Double(t) * 2 * .pi / 40) + x
        }
    }

    func history(_ values: [Double]) throws -> TimeSeriesHistory {
        try TimeSeriesHistory(values: values, kind: .value)
    }

    @Test func changesAndPathsByHand() throws {
        #expect(ReturnKind.difference.change(from: -2, to: 0.5) == 2.5)
        #expect(ReturnKind.difference.path(from: -1, returns: [0.5, -2, 0.25]) == [-0.5, -2.5, -2.25])
        #expect(close(ReturnKind.log.path(from: 100, returns: [log(1.1), log(0.5)]), [110, 55], 1e-12))
        #expect(close(ReturnKind.log.change(from: 4, to: 8), log(2), 1e-15))
        #expect(try history([1, 2]).returnKind == .difference)
        #expect(try TimeSeriesHistory(values: [1, 2]).returnKind == .log)
        #expect(try TimeSeriesHistory(values: [1, -2]).returnKind == .difference)   // a price history that is not positive
    }

    @Test func aRecurrentForecastMovesWithTheSeries() throws {
        var c = TrainingConfiguration()
        c.hidden = 8; c.window = 16; c.streams = 4; c.epochs = 4; c.patience = 50; c.seed = 5
        let base = series(500, level: 0.2)
        #expect(base.contains { $0 < 0 } && base.contains { $0 > 0 })
        var a = NeuralForecaster(configuration: c, calibration: CalibrationPolicy(origins: 60))
        var b = a
        try a.fit(history(base))
        try b.fit(history(base.map { $0 + 40 }))
        let fa = try a.predict(horizon: 10, levels: [80, 95]), fb = try b.predict(horizon: 10, levels: [80, 95])
        #expect(fa.point.allSatisfy { $0.isFinite })
        #expect(close(fb.point, fa.point.map { $0 + 40 }, 1e-9))
        for level in [80.0, 95.0] {
            let ia = try #require(fa.interval(level: level)), ib = try #require(fb.interval(level: level))
            #expect(close(ib.lower, ia.lower.map { $0 + 40 }, 1e-9) && close(ib.upper, ia.upper.map { $0 + 40 }, 1e-9))
            for k in 0..<10 { #expect(ia.lower[k] <= fa.point[k] && fa.point[k] <= ia.upper[k]) }
        }
        // observe: one more value advances the state by its difference (the model is not refitted).
        var moved = base
        moved.append(base.last! - 0.7)
        try a.observe(history(moved), newObservationCount: 1)
        let next = try a.predict(horizon: 1, levels: [80])
        #expect(next.point[0].isFinite && next.point[0] != fa.point[0])
    }

    /// A permanent level shift in the training data (a step of 40 noise-σ in a value series, a tripling
    /// of a price series): the recurrent model forecasts from the new level, not back towards the old
    /// one or the mean of both, and its intervals stay finite around its forecasts.
    @Test(arguments: [SeriesKind.value, .price])
    func aLevelShiftIsFollowed(kind: SeriesKind) throws {
        var c = TrainingConfiguration()
        c.hidden = 8; c.window = 16; c.streams = 4; c.epochs = 4; c.patience = 50; c.seed = 3
        let base = series(500, level: kind == .value ? 0.2 : 10, seed: 13)
        let shifted = base.enumerated().map { t, y in t < 350 ? y : (kind == .value ? y + 20 : y * 3) }
        let last = shifted.last!, before = base[349]
        var model = NeuralForecaster(configuration: c, calibration: CalibrationPolicy(origins: 60))
        try model.fit(try TimeSeriesHistory(values: shifted, kind: kind))
        let f = try model.predict(horizon: 10, levels: [80])
        // Within a tenth of the shift of the last value at every step, where the old level is a whole
        // shift away.
        let shift = kind == .value ? 20.0 : 2 * before
        for p in f.point { #expect(abs(p - last) < 0.1 * shift, "\(kind): \(f.point) from \(last)") }
        let band = try #require(f.interval(level: 80))
        for k in 0..<10 {
            #expect(band.lower[k].isFinite && band.upper[k].isFinite)
            #expect(band.lower[k] <= f.point[k] && f.point[k] <= band.upper[k])
        }
    }

    @Test func theEncoderDecoderMovesWithTheSeriesToo() throws {
        var c = Seq2SeqConfiguration()
        c.training.hidden = 6; c.training.epochs = 2; c.training.streams = 8; c.training.seed = 2
        c.encoderWindow = 20; c.horizon = 5; c.calibrationOrigins = 40
        let base = series(400, level: -0.3, seed: 11)
        var a = Seq2SeqForecaster(configuration: c), b = a
        try a.fit(history(base))
        try b.fit(history(base.map { $0 - 25 }))
        let fa = try a.predict(horizon: 5, levels: [80]), fb = try b.predict(horizon: 5, levels: [80])
        #expect(close(fb.point, fa.point.map { $0 - 25 }, 1e-9))
        let ia = try #require(fa.interval(level: 80)), ib = try #require(fb.interval(level: 80))
        #expect(close(ib.upper, ia.upper.map { $0 - 25 }, 1e-9))
    }

    @Test func everyStatisticalModelForecastsASeriesThatCrossesZero() throws {
        let values = series(300, level: 0.1, seed: 3)
        for kind in ModelKind.allCases where !kind.isNeural {
            var model = kind.makeForecaster(ModelSettings(season: 40))
            try model.fit(history(values))
            let f = try model.predict(horizon: 12, levels: [80, 95])
            #expect(f.point.count == 12 && f.point.allSatisfy(\.isFinite), "\(kind)")
            for i in f.intervals {
                for k in 0..<12 {
                    #expect(i.lower[k].isFinite && i.upper[k].isFinite && i.lower[k] <= f.point[k] && f.point[k] <= i.upper[k],
                            "\(kind) \(i.level)% h\(k + 1)")
                }
            }
        }
    }
}
