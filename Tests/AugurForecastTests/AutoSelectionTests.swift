import AugurCore
@testable import AugurForecast
import Foundation
import Testing

/// The Diebold–Mariano test against an independent implementation, and `auto`'s choices on series whose
/// answer is known.
@Suite struct AutoSelectionTests {
    // Seeded normal errors (numpy default_rng(3), rounded to 3 places).
    static let e1 = [2.041, -2.556, 0.418, -0.568, -0.453, -0.216, -2.02, -0.232, -0.865, 3.323, 0.226, -0.353, -0.281,
                     -0.668, -1.055, -0.391, 0.482, -0.239, 0.958, -0.2, 0.024, 1.546, 0.545, -0.505, -0.183]
    static let e2 = [1.057, 3.009, -0.077, -0.041, 1.703, -0.941, -0.108, 1.536, 1.112, 0.428, 1.238, -3.659, 1.73,
                     -1.044, -2.036, 0.687, 1.281, -0.323, -1.207, 0.337, 0.226, 2.268, 1.346, 0.571, 1.856]

    /// R's dm.test formula (autocovariances to lag h − 1, Harvey–Leybourne–Newbold factor, t with T − 1
    /// degrees of freedom), computed with numpy and scipy.stats.t on the same errors.
    @Test(arguments: [(1, 1.0, -1.595488699990, 0.061844165767), (3, 1.0, -2.839746605343, 0.004525773279),
                      (1, 2.0, -1.123920907054, 0.136081565479), (5, 2.0, -1.242246054944, 0.113073926519)])
    func dieboldMarianoMatchesTheReference(h: Int, power: Double, statistic: Double, p: Double) throws {
        let test = try #require(DieboldMariano(Self.e1, Self.e2, horizon: h, power: power))
        #expect(abs(test.statistic - statistic) < 1e-9, "\(test.statistic)")
        #expect(abs(test.pLess - p) < 1e-9, "\(test.pLess)")
        #expect(abs(test.pTwoSided - 2 * p) < 1e-9)
        // Swapped, the statistic changes sign.
        let swapped = try #require(DieboldMariano(Self.e2, Self.e1, horizon: h, power: power))
        #expect(abs(swapped.statistic + statistic) < 1e-9)
    }

    @Test func noTestWithoutVarianceOrData() {
        #expect(DieboldMariano([1, 2, 3], [1, 2, 3], horizon: 1) == nil)
        #expect(DieboldMariano([1, 2], [2, 3], horizon: 1) == nil)
    }

    /// Student's t distribution function: scipy.stats.t.cdf(2, 10) = 0.9633059826146299,
    /// t.cdf(−1.5, 3) = 0.11529193262241147.
    @Test func studentT() {
        #expect(abs(StudentT.cdf(2, degreesOfFreedom: 10) - 0.9633059826146299) < 1e-12)
        #expect(abs(StudentT.cdf(-1.5, degreesOfFreedom: 3) - 0.11529193262241147) < 1e-12)
    }

    /// A seeded random walk: nothing beats naive, so `auto` forecasts with naive and says so.
    @Test func aRandomWalkShowsNoSkill() throws {
        var rng = NormalSampler(seed: 21)
        var level = 100.0
        let y = (0..<400).map { _ in level += rng.next(); return level }
        var auto = AutoForecaster(season: 1, horizon: 10)
        try auto.fit(TimeSeriesHistory(values: y))
        let selection = try #require(auto.selection)
        #expect(selection.baseline == .naive)
        #expect(selection.horizons.allSatisfy { $0.noSkill && $0.choice == .single(.naive) }, "\(selection)")
        let f = try auto.predict(horizon: 10, levels: [80])
        #expect(f.point.allSatisfy { $0 == y.last! })
        #expect(auto.fittedDescription == "h 1–10: naive (no skill shown)")
    }

    /// A strong season with trend: the skill test passes and the choice is not the baseline; the
    /// forecast is the chosen members' and its intervals contain it.
    @Test func aSeasonalSeriesShowsSkill() throws {
        var rng = NormalSampler(seed: 4)
        let y = (0..<144).map { t -> Double in
            (200 + 2 * Double(t)) * (1 + 0.2 * sin(2 * Double.pi * Double(t) / 12)) + 3 * rng.next()
        }
        var auto = AutoForecaster(season: 12, horizon: 12)
        try auto.fit(TimeSeriesHistory(values: y))
        let selection = try #require(auto.selection)
        #expect(selection.baseline == .snaive)
        let first = selection.horizons[0]
        #expect(!first.noSkill && first.choice != .single(.snaive), "\(selection)")
        #expect(try #require(first.pValue) < 0.05)
        #expect(try #require(first.bestMASE) < 0.5 * (try #require(first.baselineMASE)))
        let f = try auto.predict(horizon: 12, levels: [80, 95])
        for i in f.intervals { for k in 0..<12 { #expect(i.lower[k] <= f.point[k] && f.point[k] <= i.upper[k]) } }
    }

    /// A selection made anew on a grown history reuses the validation forecasts of the last one (a
    /// backtest re-selects every few origins): it must be the selection a fresh `auto` makes on that
    /// history, and one whose past values were revised must not reuse forecasts from the old values.
    @Test func reselectionReusesOnlyForecastsFromTheSameData() throws {
        var rng = NormalSampler(seed: 8)
        let y = (0..<150).map { t -> Double in
            (200 + 2 * Double(t)) * (1 + 0.2 * sin(2 * Double.pi * Double(t) / 12)) + 6 * rng.next()
        }
        let dates = y.indices.map { CivilDate(year: 1990, month: 1, day: 1)!.adding(months: $0) }
        func history(_ v: [Double], _ n: Int) throws -> TimeSeriesHistory {
            try TimeSeriesHistory(values: Array(v.prefix(n)), dates: Array(dates.prefix(n)))
        }
        let candidates: [ModelKind] = [.snaive, .naive, .theta, .ses, .autoets]
        var revised = y
        revised[100] *= 1.3
        for (later, data) in [(135, y), (150, y), (135, revised)] {
            var grown = AutoForecaster(season: 12, horizon: 12, candidates: candidates)
            try grown.fit(history(y, 120))
            try grown.fit(history(data, later))
            var fresh = AutoForecaster(season: 12, horizon: 12, candidates: candidates)
            try fresh.fit(history(data, later))
            #expect(grown.selection == fresh.selection, "\(later)")
            #expect(try grown.predict(horizon: 12, levels: [80]) == fresh.predict(horizon: 12, levels: [80]))
        }
    }

    /// The calibration layer refits a selection's members at hundreds of prefixes: fitted together
    /// (AutoETS in SIMD lanes) they forecast exactly as refitted one prefix at a time.
    @Test func refittingAtManyPrefixesTogetherEqualsOneByOne() throws {
        var rng = NormalSampler(seed: 5)
        let y = (0..<130).map { t -> Double in
            (100 + Double(t)) * (1 + 0.15 * sin(2 * Double.pi * Double(t) / 12)) + 2 * rng.next()
        }
        let dates = y.indices.map { CivilDate(year: 1990, month: 1, day: 1)!.adding(months: $0) }
        let history = try TimeSeriesHistory(values: y, dates: dates)
        var auto = AutoForecaster(season: 12, horizon: 6, candidates: [.snaive, .theta, .autoets, .naive])
        try auto.fit(history)
        let selection = try #require(auto.selection)
        #expect(auto.members.contains(.autoets), "\(selection)")
        let prefixes = (110...125).map { history.prefix($0) }
        let together = try auto.refitted(prefixes, keeping: selection)
        #expect(together.count == prefixes.count)
        for (a, p) in zip(together, prefixes) {
            var alone = auto
            try alone.refit(p, keeping: selection)
            #expect(try a.predict(horizon: 6, levels: [80, 95]) == alone.predict(horizon: 6, levels: [80, 95]))
        }
    }

    /// A selection that alternates between a wide member (mean: the band of the whole series) and a
    /// narrow one (naive) still issues intervals that contain the point, never narrow with the horizon
    /// on either side, and nest by level.
    @Test func intervalsKeepTheirShapeWhenTheChoiceChangesWithTheHorizon() throws {
        var rng = NormalSampler(seed: 12)
        var level = 100.0
        let y = (0..<300).map { t -> Double in level += 0.3 + rng.next(); return level }
        let history = try TimeSeriesHistory(values: y)
        let choices: [ModelKind] = [.mean, .naive, .mean, .naive, .naive, .mean]
        let selection = AutoSelection(baseline: .naive, season: 1, origins: 48, candidateMASE: [:], horizons: choices.enumerated().map {
            AutoHorizonSelection(horizon: $0.offset + 1, choice: .single($0.element), noSkill: false, bestMASE: nil,
                                 bestName: $0.element.name, baselineMASE: nil, pValue: nil, errors: 48)
        })
        var auto = AutoForecaster(season: 1, horizon: 6)
        try auto.refit(history, keeping: selection)
        let f = try auto.predict(horizon: 6, levels: [80, 95])
        #expect(f.point[0] != f.point[1])   // mean, then naive
        let i80 = try #require(f.interval(level: 80)), i95 = try #require(f.interval(level: 95))
        for i in [i80, i95] {
            for k in 0..<6 { #expect(i.lower[k] <= f.point[k] && f.point[k] <= i.upper[k]) }
            // Distances from the point, to rounding (each bound is the point less or plus a distance).
            for k in 1..<6 {
                #expect(f.point[k] - i.lower[k] >= (f.point[k - 1] - i.lower[k - 1]) * (1 - 1e-12), "h \(k + 1): \(i.lower)")
                #expect(i.upper[k] - f.point[k] >= (i.upper[k - 1] - f.point[k - 1]) * (1 - 1e-12), "h \(k + 1): \(i.upper)")
            }
        }
        for k in 0..<6 { #expect(i95.lower[k] <= i80.lower[k] && i80.upper[k] <= i95.upper[k]) }
    }

    /// Too short to validate: the baseline, fitted, with the reason in the description.
    @Test func aShortSeriesFallsBackToTheBaseline() throws {
        var auto = AutoForecaster(season: 1, horizon: 5)
        try auto.fit(TimeSeriesHistory(values: [10, 11, 12, 11, 13, 12, 14, 13]))
        #expect(auto.selection?.origins == 0)
        #expect(try auto.predict(horizon: 3, levels: [80]).point == [13, 13, 13])
    }

    /// Combinations: the median of three and the weighted mean, by hand.
    @Test func combinations() {
        let v: [ModelKind: Double] = [.naive: 1, .theta: 5, .autoets: 2]
        #expect(AutoChoice.median([.naive, .theta, .autoets]).combine { v[$0]! } == 2)
        #expect(AutoChoice.weighted([.theta, .naive], weights: [0.75, 0.25]).combine { v[$0]! } == 4)
        #expect(AutoChoice.weighted([.theta, .naive], weights: [0.75, 0.25]).description == "weighted(naive, theta)")
    }

    /// A verdict with the backtest's errors carries the two-sided DM p-value of the same errors, and
    /// counts as significant only below 5%.
    @Test func verdictsCarryTheDieboldMarianoTest() throws {
        let scores = [BacktestScore(model: .auto, horizon: 3, count: 25, values: [.mase: 0.8]),
                      BacktestScore(model: .snaive, horizon: 3, count: 25, values: [.mase: 1.0])]
        let errors: [ModelKind: [Int: [Double?]]] = [.auto: [3: Self.e1.map { $0 } + [nil]], .snaive: [3: Self.e2.map { $0 } + [4.0]]]
        let verdict = Verdict.judge(.auto, against: .snaive, in: scores, errors: errors)
        let j = try #require(verdict.judgements.first)
        // The unscored last origin is left out: the pairs are e1, e2 at h = 3 (p one-sided 0.004526).
        #expect(abs(try #require(j.pValue) - 2 * 0.004525773279) < 1e-9)
        #expect(j.outcome == .better && j.significant && verdict.significantlyBetterCount == 1)
        // Without errors: no test, never significant.
        let untested = Verdict.judge(.auto, against: .snaive, in: scores)
        #expect(untested.judgements[0].pValue == nil && !untested.judgements[0].significant && !untested.tested)
    }
}
