import AugurCore
import Testing
import AugurForecast

@Test func conformalBoundsByHand() throws {
    // Nine residuals; sorted: −3 −2 −1 0 1 2 3 4 5; |r| sorted: 0 1 1 2 2 3 3 4 5.
    let r: [Double] = [-3, -1, 0, 1, 2, 4, 5, -2, 3]
    // Symmetric 80%: k = ⌈(9 + 1)·0.8⌉ = 8 → 8th smallest |r| = 4 → 10 ± 4.
    let s = try ConformalIntervals.intervals(point: [10], calibrationResiduals: [r], levels: [80])
    #expect(s[0].lower == [6] && s[0].upper == [14])
    // Quantile 80%: tails 0.1; k = ⌈10·0.9⌉ = 9 → upper offset = 9th smallest = 5, lower = 9th largest = −3.
    let q = try ConformalIntervals.intervals(point: [10], calibrationResiduals: [r], levels: [80], method: .quantile)
    #expect(q[0].lower == [7] && q[0].upper == [15])
}

@Test func conformalNeedsEnoughResidualsForTheLevel() throws {
    // 95% symmetric needs ⌈(n + 1)·0.95⌉ ≤ n, i.e. n ≥ 19.
    let eighteen = (1...18).map(Double.init), nineteen = (1...19).map(Double.init)
    #expect(throws: ForecastError.insufficientData(model: "conformal", needed: 19, got: 18)) {
        try ConformalIntervals.intervals(point: [0], calibrationResiduals: [eighteen], levels: [95])
    }
    // With 19 the bound is the largest |r|: 19.
    #expect(try ConformalIntervals.intervals(point: [0], calibrationResiduals: [nineteen], levels: [95])[0].upper == [19])
}

@Test func calibrationResidualsAreOutOfSampleErrorsPerHorizon() throws {
    // Naive on 1, 2, 4, 7, 11 with 3 origins (seeing 2, 3, 4 values):
    //   sees [1, 2]       → 2: h1 target 4 → 2;  h2 target 7 → 5
    //   sees [1, 2, 4]    → 4: h1 target 7 → 3;  h2 target 11 → 7
    //   sees [1, 2, 4, 7] → 7: h1 target 11 → 4; h2 beyond the data
    let r = try ConformalIntervals.calibrationResiduals(NaiveForecaster(), history: TimeSeriesHistory(values: [1, 2, 4, 7, 11]),
                                                        horizon: 2, origins: 3)
    #expect(r == [[2, 3, 4], [5, 7]])
}

@Test func conformalCoverageIsNominalOnGaussianNoise() throws {
    // Known model: y = forecast + ε with ε ~ N(0, σ_h²), σ_h = 1 + h/2 per horizon. 1,000 calibration
    // residuals per horizon, then 5,000 fresh errors scored against the bounds. Given the calibration set,
    // coverage varies by about √(L(1 − L)/n): 0.013 at 80%, 0.007 at 95%; the fresh sample adds
    // 0.006 / 0.003. Tolerances of 3 combined standard deviations: 0.04 at 80%, 0.025 at 95%.
    var noise = GaussianNoise(seed: 42)
    let horizons = 3
    let sigma = (1...horizons).map { 1 + Double($0) / 2 }
    let calibration = sigma.map { s in (0..<1000).map { _ in s * noise.next() } }
    for method in [ConformalIntervals.Method.symmetric, .quantile] {
        let bounds = try ConformalIntervals.intervals(point: [0, 0, 0], calibrationResiduals: calibration,
                                                      levels: [80, 95], method: method)
        for (i, tolerance) in [(0, 0.04), (1, 0.025)] {
            for h in 0..<horizons {
                let inside = (0..<5000).filter { _ in
                    let e = sigma[h] * noise.next()
                    return bounds[i].lower[h] <= e && e <= bounds[i].upper[h]
                }.count
                let coverage = Double(inside) / 5000
                #expect(abs(coverage - bounds[i].level / 100) < tolerance, "\(method) \(bounds[i].level)% h=\(h + 1): \(coverage)")
            }
        }
        // And the 95% half-width is near the Gaussian 1.96σ (within 10%).
        #expect(abs(bounds[1].upper[0] / (1.959964 * sigma[0]) - 1) < 0.1)
    }
}

@Test func conformalWrapperPlugsIntoTheBacktest() throws {
    // A Gaussian random walk; the wrapped naive model gets conformal bounds from its own past errors.
    var noise = GaussianNoise(seed: 7)
    var y = [100.0]
    for _ in 1..<300 { y.append(y[y.count - 1] + noise.next()) }
    let config = BacktestConfiguration(originStep: 3, horizons: [1, 2], maseSeasonLength: 1)
    let model = ConformalForecaster(NaiveForecaster(), calibrationOrigins: 60, maxHorizon: 2)
    let backtest = RollingOriginBacktest(configuration: config)
    let result = try backtest.run([model], on: TimeSeriesHistory(values: y))
    let plain = try backtest.run([NaiveForecaster()], on: TimeSeriesHistory(values: y))
    #expect(model.kind == .naive)
    // Same points as naive; coverage is reported, and over 20 origins lands in a broad band around 80%.
    #expect(result.value(.mae, model: .naive, horizon: 1) == plain.value(.mae, model: .naive, horizon: 1))
    let coverage = try #require(result.value(.coverage80, model: .naive, horizon: 1))
    #expect(coverage >= 50 && coverage <= 100)
}
