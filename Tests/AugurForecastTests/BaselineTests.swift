import Testing
import AugurForecast
import AugurCore

// One small series for every baseline, so each expected value can be checked with pencil and paper.
// y = 10, 12, 11, 14, 13 (n = 5); first differences 2, −1, 3, −1.
private let y: [Double] = [10, 12, 11, 14, 13]
private let z95 = 1.959963984540054

@Test func normalQuantileMatchesTables() throws {
    // Standard normal table values: 80% central → 1.2815515655446004, 95% → 1.959963984540054.
    let f = try Forecast.gaussian(model: .naive, point: [0], standardErrors: [1], levels: [80, 95, 99])
    #expect(close(f.intervals[0].upper[0], 1.2815515655446004, 1e-12))
    #expect(close(f.intervals[1].upper[0], z95, 1e-12))
    #expect(close(f.intervals[2].upper[0], 2.5758293035489004, 1e-12))
}

@Test func naiveRepeatsLastValueWithSquareRootHorizonIntervals() throws {
    let f = try fitPredict(NaiveForecaster(), y, horizon: 4)
    #expect(f.point == [13, 13, 13, 13])
    // σ² = (2² + 1² + 3² + 1²) / (n − 1) = 15/4; at h = 4 the standard error is σ·√4.
    let se4 = (15.0 / 4).squareRoot() * 2
    #expect(close(f.interval(level: 95)!.upper[3], 13 + z95 * se4))
    #expect(close(f.interval(level: 95)!.lower[0], 13 - z95 * (15.0 / 4).squareRoot()))
}

@Test func driftExtendsTheFirstToLastLine() throws {
    var model = DriftForecaster()
    try model.fit(TimeSeriesHistory(values: y))
    // slope = (y_n − y_1)/(n − 1) = (13 − 10)/4 = 0.75.
    #expect(model.drift == 0.75)
    let f = try model.predict(horizon: 2, levels: [95])
    #expect(close(f.point, [13.75, 14.5]))
    // Residuals = differences − 0.75 = 1.25, −1.75, 2.25, −1.75; Σe² = 12.75; σ² = 12.75/(4 − 1) = 4.25.
    // h = 2: se² = σ²·h·(1 + h/(n − 1)) = 4.25 · 2 · 1.5 = 12.75.
    #expect(close(f.intervals[0].upper[1], 14.5 + z95 * 12.75.squareRoot()))
}

@Test func seasonalNaiveRepeatsLastSeason() throws {
    let f = try fitPredict(SeasonalNaiveForecaster(season: 2), y, horizon: 3)
    // Last season (m = 2) is 14, 13, repeated.
    #expect(f.point == [14, 13, 14])
    // Seasonal differences 11−10, 14−12, 13−11 = 1, 2, 2; σ² = 9/3 = 3.
    // h = 3: ⌊(3 − 1)/2⌋ + 1 = 2 seasons ahead → se = √(3·2).
    #expect(close(f.interval(level: 95)!.upper[2], 14 + z95 * 6.0.squareRoot()))
    #expect(close(f.interval(level: 95)!.upper[1], 13 + z95 * 3.0.squareRoot()))
}

@Test func seasonalNaiveTakesSeasonFromFrequency() throws {
    // Monthly dates → season 12: the forecast for step 1 is the value 12 months before the next month.
    let dates = (0..<24).map { CivilDateFixture.month(2000, 1).adding(months: $0) }
    var model = SeasonalNaiveForecaster()
    try model.fit(TimeSeriesHistory(values: (0..<24).map(Double.init), dates: dates))
    #expect(try model.predict(horizon: 13, levels: []).point == (12..<24).map(Double.init) + [12])
}

@Test func meanForecastsTheAverage() throws {
    let f = try fitPredict(MeanForecaster(), y, horizon: 2)
    // ȳ = 60/5 = 12; deviations −2, 0, −1, 2, 1 → σ² = 10/4 = 2.5; se = √(2.5 · (1 + 1/5)) = √3.
    #expect(f.point == [12, 12])
    #expect(close(f.interval(level: 95)!.lower[1], 12 - z95 * 3.0.squareRoot()))
}

@Test func baselinesRejectBadInput() throws {
    #expect(throws: ForecastError.notFitted(model: "naive")) { try NaiveForecaster().predict(horizon: 1, levels: []) }
    #expect(throws: ForecastError.insufficientData(model: "snaive", needed: 13, got: 5)) {
        try fitPredict(SeasonalNaiveForecaster(season: 12), y, horizon: 1)
    }
    #expect(throws: ForecastError.invalidHorizon(0)) { try fitPredict(NaiveForecaster(), y, horizon: 0) }
    #expect(throws: ForecastError.invalidLevel(100)) { try fitPredict(NaiveForecaster(), y, horizon: 1, levels: [100]) }
    #expect(throws: ForecastError.nonFiniteValue(index: 1)) { try TimeSeriesHistory(values: [1, .nan]) }
}

@Test func modelsAreInterchangeableBehindTheProtocol() throws {
    var models: [any Forecaster] = [NaiveForecaster(), DriftForecaster(), SeasonalNaiveForecaster(season: 2),
                                    MeanForecaster()]
    for i in models.indices {
        try models[i].fit(TimeSeriesHistory(values: y))
        let f = try models[i].predict(horizon: 3, levels: [80, 95])
        #expect(f.horizon == 3 && f.intervals.count == 2 && f.model == models[i].kind)
        // Wider level, wider interval.
        #expect(zip(f.intervals[0].upper, f.intervals[1].upper).allSatisfy { $0 <= $1 })
    }
    #expect(models.map(\.name) == ["naive", "drift", "snaive", "mean"])
}
