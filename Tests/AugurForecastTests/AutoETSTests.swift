import AugurCore
@testable import AugurForecast
import Foundation
import Testing

/// AutoETS against statsforecast 2.1.1 (`statsforecast.ets.ets_f`, run on the same data; figures in
/// the comments are its output) and against series of known structure.
@Suite struct AutoETSTests {
    static func airline() throws -> [Double] {
        try AnchorData.airline().values
    }

    /// The likelihood term of given parameters on given data is the recursion's, by hand's formula:
    /// statsforecast's `pegelsresid_C` gives 605.4740694320859 for ETS(A,N,N), α = 0.5, l0 = y0 on the
    /// first 60 airline values.
    @Test func likelihoodOfGivenParametersMatchesStatsforecast() throws {
        let y = Array(try Self.airline().prefix(60))
        let r = try #require(ETS.run(y, form: ETSForm(.additive, .none, .none), m: 1,
                                     p: .init(alpha: 0.5, beta: 0, gamma: 0, phi: 1), states: [y[0]]))
        #expect(abs(r.likelihood - 605.4740694320859) < 1e-9)
    }

    /// On airline passengers statsforecast selects ETS(M,N,M) with AICc 1458.10 (α 0.365, γ 0.0024).
    @Test func airlineSelectsWhatStatsforecastSelects() throws {
        let model = try #require(ETS.auto(try Self.airline(), m: 12))
        print("airline: \(model)")
        #expect(model.form == ETSForm(.multiplicative, .none, .multiplicative), "\(model)")
        #expect(abs(model.aicc - 1458.10) < 3, "\(model)")
        #expect(model.parameterCount == 15)
    }

    /// Series of known structure: a damped-trend additive series and a trending multiplicative-season
    /// one, generated with seeded noise, select forms of those families.
    @Test func knownStructuresAreRecognised() throws {
        var rng = NormalSampler(seed: 11)
        var level = 100.0
        let flat = (0..<120).map { _ in level += rng.next() * 0.5; return level }
        let flatModel = try #require(ETS.auto(flat, m: 1))
        #expect(flatModel.form.trend == .none && flatModel.form.season == .none, "\(flatModel)")

        let seasonal = (0..<144).map { t -> Double in
            let season = 1 + 0.25 * sin(2 * Double.pi * Double(t) / 12)
            return (200 + 2 * Double(t)) * season * (1 + 0.01 * rng.next())
        }
        let seasonalModel = try #require(ETS.auto(seasonal, m: 12))
        #expect(seasonalModel.form.season == .multiplicative && seasonalModel.form.trend != .none, "\(seasonalModel)")
    }

    /// A constant series, a very short one, one trending to zero and a huge-valued one fit without NaN.
    @Test func oddSeriesFitWithoutNaN() throws {
        var rng = NormalSampler(seed: 5)
        let cases: [(String, [Double], Int)] = [
            ("constant", Array(repeating: 50, count: 40), 12),
            ("short", [112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126], 12),
            ("to zero", (0..<80).map { 100 * pow(0.93, Double($0)) + 1e-6 }, 1),
            ("huge", (0..<100).map { _ in 1e250 * (1 + 0.01 * rng.next()) }, 1),
        ]
        for (name, y, m) in cases {
            var f = AutoETSForecaster(season: m)
            try f.fit(TimeSeriesHistory(values: y))
            let forecast = try f.predict(horizon: 12, levels: [80, 95])
            #expect(forecast.point.allSatisfy { $0.isFinite }, "\(name): \(f.model.map(String.init(describing:)) ?? "-")")
            for i in forecast.intervals {
                for k in 0..<12 { #expect(i.lower[k] <= forecast.point[k] && forecast.point[k] <= i.upper[k], "\(name)") }
            }
        }
    }

    /// Class-1 variance by hand: ETS(A,N,N) σ_h² = σ² (1 + (h − 1) α²).
    @Test func analyticVarianceOfSimpleExponentialSmoothing() throws {
        var rng = NormalSampler(seed: 8)
        var l = 10.0
        let y = (0..<200).map { _ in l += rng.next(); return l + rng.next() }
        var f = AutoETSForecaster(season: 1)
        try f.fit(TimeSeriesHistory(values: y))
        let model = try #require(f.model)
        guard model.form == ETSForm(.additive, .none, .none) else { return }
        let forecast = try f.predict(horizon: 4, levels: [95])
        let i = try #require(forecast.interval(level: 95))
        for h in 1...4 {
            let se = (model.sigma2 * (1 + Double(h - 1) * model.alpha * model.alpha)).squareRoot()
            #expect(abs((i.upper[h - 1] - forecast.point[h - 1]) - 1.959963984540054 * se) < 1e-6 * se)
        }
    }
}

/// The lockstep, vectorised fit of all backtest origins at once is the sequential fit, model for model.
@Suite struct AutoETSBatchTests {
    @Test(arguments: ["airline", "sp500"])
    func fittingTogetherEqualsFittingOneByOne(series: String) throws {
        let history = series == "airline" ? try AnchorData.airline() : try AnchorData.sp500().suffix(400)
        let m = series == "airline" ? 12 : 1
        let counts = series == "airline" ? Array(stride(from: 100, through: 144, by: 11)) : Array(stride(from: 300, through: 400, by: 25))
        let together = ETS.auto(prefixesOf: history.values, counts: counts, m: m)
        for (k, count) in counts.enumerated() {
            let alone = ETS.auto(Array(history.values.prefix(count)), m: m)
            #expect(together[k] == alone, "prefix \(count): \(together[k].map(\.description) ?? "nil") vs \(alone.map(\.description) ?? "nil")")
        }
        // Through the Forecaster: the same forecasts and intervals as fitting each history.
        let histories = counts.map { history.prefix($0) }
        let copies = try #require(try AutoETSForecaster(season: m).fittedTogether(histories))
        for (h, copy) in zip(histories, copies) {
            var alone = AutoETSForecaster(season: m)
            try alone.fit(h)
            #expect(try copy.predict(horizon: 6, levels: [80, 95]) == alone.predict(horizon: 6, levels: [80, 95]))
        }
    }
}

/// The automatic models' season length for daily data: 1 for market series, 5 when the changes have a
/// strong weekly pattern.
@Suite struct AutomaticSeasonTests {
    @Test func dailySeasonIsTheTradingWeekOnlyWhenTheChangesSaySo() throws {
        #expect(Seasonality.automaticLength(try AnchorData.sp500().suffix(1000)) == 1)
        var rng = NormalSampler(seed: 5)
        let week = [4.0, -1, -2, -3, 2]
        let values = (0..<400).map { 100 + week[$0 % 5] + 0.3 * rng.next() }
        var dates: [CivilDate] = []
        var day = CivilDate(year: 2020, month: 1, day: 6)!   // a Monday
        while dates.count < values.count {
            if day.weekday <= 5 { dates.append(day) }
            day = day.adding(days: 1)
        }
        let history = try TimeSeriesHistory(values: values, dates: dates)
        #expect(history.frequency == .daily)
        #expect(Seasonality.automaticLength(history) == 5)
        let monthly = try AnchorData.airline()
        #expect(Seasonality.automaticLength(monthly) == 12)
    }
}

/// Class 2 intervals (multiplicative error, no multiplicative season) are analytic: the one-step standard
/// error is σ·μ₁, and at longer horizons they agree with 40,000 simulated paths of the same model.
@Suite struct AutoETSClassTwoTests {
    @Test(arguments: [ETSForm(.multiplicative, .none, .none), ETSForm(.multiplicative, .damped, .none),
                      ETSForm(.multiplicative, .additive, .additive)])
    func analyticVarianceMatchesSimulation(form: ETSForm) throws {
        let y = try AnchorData.airline().values
        let m = form.season == .none ? 1 : 12
        let model = try #require(ETS.fit(y, form: form, m: m))
        var forecaster = AutoETSForecaster(season: m)
        try forecaster.fit(TimeSeriesHistory(values: y))
        forecaster.setModel(model)
        let f = try forecaster.predict(horizon: 8, levels: [80])
        let se1 = (f.interval(level: 80)!.upper[0] - f.point[0]) / 1.2815515655446004
        #expect(abs(se1 - model.sigma2.squareRoot() * f.point[0]) < 1e-6 * f.point[0], "\(model)")
        // Simulated paths: their 10% and 90% quantiles against the analytic Gaussian's.
        let sim = try forecaster.simulatedIntervals(model, point: f.point, levels: [80], paths: 40_000)[0]
        for h in [3, 7] {
            let analytic = f.interval(level: 80)!.upper[h] - f.interval(level: 80)!.lower[h]
            let simulated = sim.upper[h] - sim.lower[h]
            #expect(abs(analytic / simulated - 1) < 0.04, "\(form) h \(h + 1): \(analytic) vs \(simulated)")
        }
    }
}
