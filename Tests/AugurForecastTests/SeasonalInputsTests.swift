import AugurCore
@testable import AugurForecast
import Foundation
import Testing

/// Seasonal inputs of the recurrent models: the factors against series of known structure, the
/// inputs at forecast time against the inputs in training, and a forecast of a purely seasonal series.
@Suite struct SeasonalInputsTests {
    static let monthFactors = [0.90, 0.88, 1.00, 0.97, 0.98, 1.10, 1.22, 1.21, 1.06, 0.92, 0.80, 0.90]

    func months(_ n: Int, from start: String = "2001-01-01") -> [CivilDate] {
        let first = CivilDate(iso: start)!
        return (0..<n).map { first.adding(months: $0) }
    }

    /// 100 · e^{0.01 t} · factor(month) · (1 + small noise).
    func multiplicative(_ n: Int, noise: Double = 0.005, seed: UInt64 = 1) -> [Double] {
        var g = GaussianNoise(seed: seed)
        return (0..<n).map { t in 100 * exp(0.01 * Double(t)) * Self.monthFactors[t % 12] * (1 + noise * g.next()) }
    }

    @Test func factorsOfAMultiplicativeSeriesAreItsLogFactors() throws {
        let y = multiplicative(96)
        let p = try #require(SeasonalProfile.fit(values: y, dates: months(96), setting: .auto, everyDay: false))
        #expect(p.position == .monthOfYear && p.multiplicative && p.lag == 12)
        let logs = Self.monthFactors.map { log($0) }
        let mean = logs.reduce(0, +) / 12
        for m in 0..<12 { #expect(abs(p.factors[m] - (logs[m] - mean)) < 0.01, "month \(m + 1): \(p.factors[m])") }
        #expect(p.returnKind == .log)
    }

    @Test func factorsOfAnAdditiveSeriesThatCrossesZero() throws {
        let shape = [-3.0, -2, 0, 1, 2, 4, 5, 4, 2, 0, -2, -11]   // sums to 0
        var g = GaussianNoise(seed: 4)
        let y = (0..<84).map { t in 0.02 * Double(t) + shape[t % 12] + 0.05 * g.next() }
        let p = try #require(SeasonalProfile.fit(values: y, dates: months(84), setting: .auto, everyDay: false))
        #expect(!p.multiplicative && p.returnKind == .difference)
        for m in 0..<12 { #expect(abs(p.factors[m] - shape[m]) < 0.1, "month \(m + 1): \(p.factors[m])") }
    }

    @Test func aRandomWalkHasNoSeasonsUnlessTold() throws {
        var g = GaussianNoise(seed: 9), x = 100.0
        let walk = (0..<120).map { _ in x *= exp(0.03 * g.next()); return x }
        #expect(SeasonalProfile.fit(values: walk, dates: months(120), setting: .auto, everyDay: false) == nil)
        #expect(SeasonalProfile.fit(values: walk, dates: months(120), setting: .on, everyDay: false) != nil)
        #expect(SeasonalProfile.fit(values: multiplicative(96), dates: months(96), setting: .off, everyDay: false) == nil)
        // A daily random walk over eight years: no yearly curve, no weekly pattern.
        let start = CivilDate(iso: "2010-01-04")!
        let days = (0..<2900).map { start.adding(days: $0) }.filter { !$0.isWeekend }
        var h = GaussianNoise(seed: 2), z = 50.0
        let daily = days.map { _ in z *= exp(0.01 * h.next()); return z }
        #expect(SeasonalProfile.fit(values: daily, dates: days, setting: .auto, everyDay: false) == nil)
    }

    @Test func aDailyYearlyCycleIsFoundAsACurve() throws {
        let start = CivilDate(iso: "2015-01-01")!
        let dates = (0..<1461).map { start.adding(days: $0) }
        var g = GaussianNoise(seed: 3), a = 0.0
        let y = dates.map { d -> Double in
            a = 0.7 * a + 2 * g.next()
            return 10 + 12 * sin(2 * Double.pi * (Double(SeasonPosition.dayOfYear.position(d)) - 110) / 365.25) + a
        }
        let p = try #require(SeasonalProfile.fit(values: y, dates: dates, setting: .auto, everyDay: true))
        #expect(p.position == .dayOfYear && !p.multiplicative)
        // The curve at mid-April and mid-October: 12·sin(2π(doy−110)/365.25) at doy 104 and 288.
        for iso in ["2021-04-15", "2021-10-15", "2021-07-20"] {
            let d = CivilDate(iso: iso)!
            let truth = 12 * sin(2 * Double.pi * (Double(SeasonPosition.dayOfYear.position(d)) - 110) / 365.25)
            // Three years of detrended data with an AR(1) anomaly of sd 2.8: about ±0.5 of estimation error.
            #expect(abs(p.component(d) - truth) < 1.2, "\(iso): \(p.component(d)) vs \(truth)")
        }
    }

    @Test func centredAveragesByHand() {
        let w = [1.0, 2, 4, 8, 16, 32, 64]
        let odd = ClassicalDecomposition.centredMovingAverage(w, order: 3)
        #expect(odd.first == 1 && close(odd.trend, [7.0 / 3, 14.0 / 3, 28.0 / 3, 56.0 / 3, 112.0 / 3], 1e-12))
        // Order 4: ½ w(t−2) + w(t−1) + w(t) + w(t+1) + ½ w(t+2), over 4.
        let even = ClassicalDecomposition.centredMovingAverage(w, order: 4)
        #expect(even.first == 2)
        let expected: [Double] = [22.5 / 4, 45.0 / 4, 90.0 / 4]   // ½·1 + 2 + 4 + 8 + ½·16 = 22.5, then doubling
        #expect(close(even.trend, expected, 1e-12))
    }

    /// What a forecast feeds the network after each step is exactly what training fed it on the same
    /// path: a cursor advanced along the actual changes reproduces the training rows.
    @Test func aCursorAdvancedAlongTheSeriesGivesTheTrainingRows() throws {
        let y = multiplicative(60), dates = months(60)
        let profile = try #require(SeasonalProfile.fit(values: y, dates: dates, setting: .on, everyDay: false))
        let bars = zip(dates, y).map { Bar(date: $0, close: $1) }
        let f = try SeriesFeatures.build(symbol: "S", bars: bars, kind: .seasonal, seasonal: profile)
        #expect(f.kind == .seasonal && f.returnKind == .log && f.count == 59)
        for start in [0, 5, 13, 30] {
            var cursor = try #require(f.cursor(afterRow: start))
            for t in (start + 1)..<(f.count - 1) {
                let row = cursor.advance(change: f.raw[t][0])
                for j in 0..<4 { #expect(abs(row[j] - f.raw[t][j]) < 1e-12, "start \(start) row \(t) input \(j)") }
            }
        }
        // The returned working change adds the seasonal step to the deseasonalised change.
        let cursor = try #require(f.cursor(afterRow: 10))
        let step = cursor.nextSeasonalStep
        #expect(abs(f.raw[11][0] + step - log(y[12] / y[11])) < 1e-12)
    }

    /// A purely seasonal series (constant level times the monthly factors) is forecast to within 2%
    /// by a small LSTM with seasonal inputs (what is left is the network's small output for a change
    /// it was only ever shown as zero); without them it misses by more than 5%.
    @Test func aPurelySeasonalSeriesIsForecastFromItsFactors() throws {
        let n = 120
        let y = (0..<n).map { 100 * Self.monthFactors[$0 % 12] }
        let dates = months(n)
        let history = try TimeSeriesHistory(values: y, dates: dates, kind: .value)
        var c = TrainingConfiguration()
        c.hidden = 8; c.window = 12; c.streams = 4; c.epochs = 30; c.patience = 50; c.seed = 1; c.ensemble = 1
        var seasonal = NeuralForecaster(configuration: c, calibration: CalibrationPolicy(origins: 24))
        try seasonal.fit(history)
        #expect(seasonal.model?.features == .seasonal)
        let f = try seasonal.predict(horizon: 12, levels: [80])
        let truth = (n..<(n + 12)).map { 100 * Self.monthFactors[$0 % 12] }
        let worst = zip(f.point, truth).map { abs($0 / $1 - 1) }.max()!
        #expect(worst < 0.02, "\(f.point) vs \(truth)")
        c.seasonal = .off
        var plain = NeuralForecaster(configuration: c, calibration: CalibrationPolicy(origins: 24))
        try plain.fit(history)
        #expect(plain.model?.features == .returns)
        let g = try plain.predict(horizon: 12, levels: [80])
        #expect(zip(g.point, truth).map { abs($0 / $1 - 1) }.max()! > 0.05)
    }
}

/// Seed ensembles and the hidden-size cap for short series.
@Suite struct EnsembleTests {
    @Test func medianPathsByHand() {
        // Three members, one stream, two steps: cumulative returns (0.1, 0.3), (−0.2, 0), (0.05, 0.5).
        let members: [[[Double]]] = [[[0.1, 0.2]], [[-0.2, 0.2]], [[0.05, 0.45]]]
        let median = SeedEnsemble.medianReturns(members)
        // Medians of the cumulative returns: 0.05 at step 1, 0.3 at step 2; differenced back: 0.05, 0.25.
        #expect(close(median[0], [0.05, 0.25], 1e-15))
        // An even count averages the middle two; one member is itself.
        #expect(close(SeedEnsemble.medianReturns([[[1.0]], [[3.0]]])[0], [2.0], 1e-15))
        #expect(SeedEnsemble.medianReturns([[[0.4, -0.1]]]) == [[0.4, -0.1]])
    }

    func monthly(_ n: Int) throws -> TimeSeriesHistory {
        var g = GaussianNoise(seed: 5)
        let start = CivilDate(iso: "2001-01-01")!
        let factors = SeasonalInputsTests.monthFactors
        let values = (0..<n).map { t in 100 * exp(0.01 * Double(t)) * factors[t % 12] * (1 + 0.02 * g.next()) }
        return try TimeSeriesHistory(values: values, dates: (0..<n).map { start.adding(months: $0) })
    }

    @Test func anEnsembleForecastsTheMedianOfItsSeedsAndRepeatsItself() throws {
        var c = TrainingConfiguration()
        c.window = 12; c.streams = 2; c.epochs = 5; c.patience = 50; c.seed = 11; c.ensemble = 3
        let history = try monthly(120)
        var a = NeuralForecaster(configuration: c, calibration: CalibrationPolicy(origins: 24)), b = a
        try a.fit(history)
        try b.fit(history)
        #expect(a.members.count == 3)
        #expect(a.members.map(\.model.configuration.seed) == [11, 12, 13])
        let fa = try a.predict(horizon: 6, levels: [80]), fb = try b.predict(horizon: 6, levels: [80])
        #expect(fa.point == fb.point && fa.intervals == fb.intervals)   // the same base seed, the same forecast
        // Each member on its own, then the median of their price paths, step by step.
        let scaler = try #require(a.model).scalers["series"]!
        let last = history.values.last!
        let paths = try a.members.map { m in
            NeuralModel.prices(from: last, returns: try m.model.forecastReturns(from: m.state.state, horizon: 6, scalers: [scaler],
                                                                              cursors: [a.cursor])[0], kind: scaler.changes)
        }
        #expect(Set(paths.map { $0[5] }).count == 3)   // the seeds differ
        for k in 0..<6 {
            let sorted = paths.map { $0[k] }.sorted()
            #expect(abs(fa.point[k] - sorted[1]) < 1e-9 * sorted[1], "step \(k + 1)")
        }
    }

    @Test func aShortSeriesGetsASmallerNetworkAndSaysSo() throws {
        var c = TrainingConfiguration()
        c.window = 12; c.streams = 2; c.epochs = 2; c.seed = 1
        let bars = try monthly(120)
        let input = [(symbol: "S", bars: zip(bars.dates, bars.values).map { Bar(date: $0, close: $1) })]
        let result = try NeuralTrainer(configuration: c).train(input)
        // 120 observations: 118 pairs, 18 for validation, 100 training steps: 100 / 12 = 8 units.
        #expect(result.model.configuration.hidden == 8)
        #expect(result.notes.contains("hidden units reduced from 32 to 8 for 100 training steps"))
        // The default rate becomes the short-series rate; an asked-for rate, or any other, is kept.
        #expect(result.model.configuration.learningRate == TrainingConfiguration.smallSeriesLearningRate)
        #expect(result.notes.contains("learning rate 0.003 for a series of 120 observations"))
        c.hidden = 6
        #expect(try NeuralTrainer(configuration: c).train(input).model.configuration.hidden == 6)   // never raised
        c.learningRateFixed = true
        #expect(try NeuralTrainer(configuration: c).train(input).model.configuration.learningRate == 1e-3)
        c.learningRateFixed = nil; c.learningRate = 5e-3
        #expect(try NeuralTrainer(configuration: c).train(input).model.configuration.learningRate == 5e-3)
    }
}

/// The direct multi-horizon head: its targets, its forecasts, and that it learns.
@Suite struct DirectHeadTests {
    func sine(_ n: Int) throws -> TimeSeriesHistory {
        let start = CivilDate(iso: "2020-01-06")!
        let dates = (0..<(n * 2)).map { start.adding(days: $0) }.filter { !$0.isWeekend }.prefix(n)
        var g = GaussianNoise(seed: 8)
        return try TimeSeriesHistory(values: (0..<n).map { 5 * sin(Double($0) * 2 * .pi / 25) + 0.1 * g.next() },
                                     dates: Array(dates), kind: .value)
    }

    @Test func eachInputGetsTheNextHTargets() throws {
        let bars = (0..<12).map { Bar(date: CivilDate(iso: "2021-01-01")!.adding(days: $0), close: Double($0 * $0)) }
        let f = try SeriesFeatures.build(symbol: "S", bars: bars, kind: .returns, returnKind: .difference)
        // Differences 1, 3, 5, … (2t + 1 into observation t + 1); an identity scaler keeps them as they are.
        let scaler = Scaler(means: [0], deviations: [1], returnKind: .difference)
        let assembler = BatchAssembler(features: [f], scalers: [scaler], window: 2, steps: 3)
        let (x, y) = assembler.assemble([ContiguousBatcher.WindowIndex(series: 0, start: 4)])
        #expect(x == [9, 11])                       // inputs: the changes into observations 5 and 6
        #expect(y == [11, 13, 15, 13, 15, 17])      // targets: the next three changes after each input
        #expect(f.pairCount(steps: 3) == 8 && f.pairCount == 10)
    }

    @Test func theFirstHStepsComeFromTheHeadAndTheRestRecursively() throws {
        var c = TrainingConfiguration()
        c.hidden = 8; c.window = 16; c.streams = 4; c.epochs = 30; c.patience = 50; c.seed = 2; c.ensemble = 1
        c.head = .direct; c.directHorizon = 5
        var model = NeuralForecaster(configuration: c, calibration: CalibrationPolicy(origins: 40))
        try model.fit(try sine(400))
        let net = try #require(model.model)
        #expect(net.configuration.outputSteps == 5 && net.network.configuration.outputSize == 5)
        let training = try #require(model.lastTraining)
        #expect(training.bestValidationLoss < 0.5 * training.randomWalkValidationLoss)   // a sine is learnable
        let f = try model.predict(horizon: 8, levels: [80])
        #expect(f.point.count == 8 && f.point.allSatisfy { $0.isFinite })
        // Steps 1–5: the head's five outputs from the final state, unscaled and summed onto the last value.
        let state = try #require(model.state), scaler = net.scalers["series"]!
        let heads = try net.nextScaledReturn(from: state.state)
        var level = state.lastPrice
        for k in 0..<5 {
            level += scaler.unscale(Double(heads[k]), feature: 0)
            #expect(abs(f.point[k] - level) < 1e-9 * max(1, abs(level)), "step \(k + 1)")
        }
    }

    @Test func aShortSeriesGetsAShorterDirectHorizonAndSaysSo() throws {
        var c = TrainingConfiguration()
        c.hidden = 8; c.window = 12; c.streams = 2; c.epochs = 2; c.ensemble = 1; c.head = .direct
        let start = CivilDate(iso: "2001-01-01")!
        let bars = (0..<40).map { Bar(date: start.adding(months: $0), close: 100 + Double($0) + 10 * sin(Double($0) * .pi / 6)) }
        let result = try NeuralTrainer(configuration: c).train([(symbol: "S", bars: bars)])
        // 39 rows: H = 12 leaves 27 pairs, 4 for validation, 12 for training (< 13); H = 11 leaves 28, 4, 14.
        #expect(result.model.configuration.directHorizon == 11)
        #expect(result.notes.contains("direct horizon shortened from 12 to 11 to fit 40 observations; steps beyond it are recursive"))
        c.directHorizon = 12   // asked for: not shortened, and too short
        #expect(throws: TrainingError.self) { try NeuralTrainer(configuration: c).train([(symbol: "S", bars: bars)]) }
    }

    @Test func theDirectHorizonDefaultsToTheLongestBacktestHorizon() throws {
        var c = TrainingConfiguration()
        c.hidden = 8; c.window = 12; c.streams = 2; c.epochs = 2; c.ensemble = 1; c.head = .direct
        let h = try sine(300)
        let input = [(symbol: "S", bars: zip(h.dates, h.values).map { Bar(date: $0, close: $1) })]
        #expect(try NeuralTrainer(configuration: c).train(input, returnKinds: [.difference]).model.configuration.directHorizon == 20)
    }
}
