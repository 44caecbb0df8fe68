import Foundation
import Testing
@testable import AugurForecast

/// The calibration layer: GARCH(1,1) against the `arch` package, the EWMA recursion and the interval
/// rules by hand, adaptive conformal's update, causality, and coverage where volatility changes.
@Suite struct IntervalCalibrationTests {
    /// `arch` 8.0.0, `arch_model(100 · log returns, mean="Constant", vol="GARCH", p=1, q=1,
    /// dist="normal").fit(tol=1e-12)` on the last 1,000 closes of each bundled series, scaled back to
    /// plain returns (μ / 100, ω / 10⁴, log-likelihood + n log 100); the forecast variances too.
    @Test(arguments: [
        ("sp500", 0.0006793632281801908, 4.119405374379674e-06, 0.19929814207212526, 0.7523489825911882,
         3494.4687012196446, 0.00033542173698781087, 0.0015618269235873432, 0.004958339701030299),
        ("vix", -0.0009039351810838951, 0.0016424473829740258, 0.1948271974317095, 0.5746632639047807,
         1120.6196012849414, 0.007927327623272421, 0.03816717275708887, 0.14596678485422018),
    ])
    func garchMatchesArch(_ c: (String, Double, Double, Double, Double, Double, Double, Double, Double)) throws {
        let history = c.0 == "sp500" ? try AnchorData.sp500()
                                     : try AnchorData.history(file: "vix_daily.csv", column: "Close")
        let values = Array(history.values.suffix(1000))
        let returns = (1..<values.count).map { log(values[$0] / values[$0 - 1]) }
        let g = try GARCH11.fit(returns)
        // The same maximum: the likelihood agrees to 1e-4 (arch's SLSQP and this Nelder–Mead stop at
        // slightly different points of a flat ridge), the parameters to a few percent.
        #expect(abs(g.logLikelihood - c.5) < 1e-3, "log-likelihood \(g.logLikelihood) vs \(c.5)")
        #expect(abs(g.alpha - c.3) < 0.01 && abs(g.beta - c.4) < 0.01, "α \(g.alpha) β \(g.beta)")
        #expect(abs(g.omega / c.2 - 1) < 0.05 && abs(g.mu - c.1) < 1e-4)
        // Forecast variances of the next 1, 5, 20 returns summed, from the fitted recursion.
        let next = try #require(g.conditionalVariances(returns).last)
        for (h, expected) in [(1, c.6), (5, c.7), (20, c.8)] {
            #expect(abs(g.cumulativeVariance(next: next, horizon: h) / expected - 1) < 0.01, "h=\(h)")
        }
    }

    /// One level shift (×10, a log return of 2.3 among returns of about 1%) is capped at 15 robust
    /// standard deviations, so the volatility after it is that of the returns, not of the shift.
    @Test func aLevelShiftDoesNotPassForVolatility() throws {
        var noise = GaussianNoise(seed: 11)
        var values = [100.0]
        for t in 1..<400 { values.append(values[t - 1] * exp(0.01 * noise.next()) * (t == 300 ? 10 : 1)) }
        for model: VolatilityModel in [.ewma(lambda: 0.97), .garch] {
            let path = try VolatilityPath(values: values, model: model, kind: .log, estimationEnd: 350)
            // Ten days after the shift: the daily σ relative to the level stays near 1%, where the
            // uncapped shift would make it about 2.3 · √0.03 ≈ 40% under EWMA(0.97).
            let relative = path.scale(origin: 310, horizon: 1) / values[309]
            #expect(relative < 0.1, "\(model): \(relative)")
        }
        var r = [0.01, -0.01, 0.02, 2.3, -0.015]
        VolatilityPath.clip(&r, estimationEnd: 6, multiple: 15)
        // Median |r| 0.015 → cap 15 · 0.015 / 0.6745 ≈ 0.3336.
        #expect(abs(r[3] - 15 * 0.015 / 0.6745) < 1e-12 && r[0] == 0.01 && r[4] == -0.015)
    }

    @Test func garchNeedsEnoughVaryingReturns() {
        #expect(throws: ForecastError.self) { try GARCH11.fit(Array(repeating: 0.01, count: 20)) }
        #expect(throws: ForecastError.self) { try GARCH11.fit(Array(repeating: 0.01, count: 100)) }
    }

    /// GARCH's h-step variance by hand: σ̄² = ω / (1 − α − β) = 2e-4 / 0.1 = 0.002, next = 0.004,
    /// E[σ²ₜ₊₂] = 0.002 + 0.9 · 0.002 = 0.0038, so two steps sum to 0.0078.
    @Test func garchHorizonVarianceRevertsToTheLongRun() {
        let g = GARCH11(mu: 0, omega: 2e-4, alpha: 0.1, beta: 0.8, backcast: 0.002)
        #expect(abs(g.cumulativeVariance(next: 0.004, horizon: 1) - 0.004) < 1e-15)
        #expect(abs(g.cumulativeVariance(next: 0.004, horizon: 2) - 0.0078) < 1e-15)
        // Far out, each step adds the long-run variance.
        let far = g.cumulativeVariance(next: 0.004, horizon: 201) - g.cumulativeVariance(next: 0.004, horizon: 200)
        #expect(abs(far - 0.002) < 1e-10)
    }

    /// EWMA by hand on prices 100, 110, 99, 99: returns r₁ = log 1.1, r₂ = log 0.9, r₃ = 0. The start
    /// is the backcast of the returns before the end of estimation (here r₁, r₂ with weights 1, 0.94).
    @Test func ewmaScaleByHand() throws {
        let values = [100.0, 110, 99, 99]
        let r1 = log(1.1), r2 = log(0.9)
        let start = (r1 * r1 + 0.94 * r2 * r2) / 1.94
        let path = try VolatilityPath(values: values, model: .ewma(lambda: 0.9), kind: .log, estimationEnd: 3)
        // Origin 2 has seen 100, 110: one return; its next variance is 0.9·start + 0.1·r₁².
        let v2 = 0.9 * start + 0.1 * r1 * r1
        #expect(abs(path.scale(origin: 2, horizon: 1) - 110 * v2.squareRoot()) < 1e-12)
        // Origin 3: one more update, and four steps ahead scale by √4.
        let v3 = 0.9 * v2 + 0.1 * r2 * r2
        #expect(abs(path.scale(origin: 3, horizon: 4) - 99 * (4 * v3).squareRoot()) < 1e-12)
        // A series that is not positive uses differences, in its own units.
        let diff = try VolatilityPath(values: [0, 2, -1, 3], model: .ewma(lambda: 0.9), kind: ReturnKind.of([0, 2, -1, 3]),
                                      estimationEnd: 4)
        #expect(diff.kind == .difference)
        #expect(diff.scale(origin: 3, horizon: 1).isFinite && diff.scale(origin: 3, horizon: 1) > 0)
    }

    /// Conformal order statistics by hand: 9 scores 1…9, 80% (α = 0.2). Symmetric: the
    /// ⌈10 · 0.8⌉ = 8th smallest |s|. Two tails at α/2 = 0.1: the ⌈10 · 0.9⌉ = 9th smallest and its
    /// mirror, the 9th largest. α ≤ 0 takes the extremes; α ≥ 1 gives no width.
    @Test func quantileBoundsByHand() {
        var w = ScoreWindow(capacity: 100)
        for x in [5.0, -1, 3, 9, -7, 2, 4, -8, 6] { w.append(x) }
        #expect(w.bounds(alpha: 0.2, symmetric: true) == (-8, 8))
        #expect(w.bounds(alpha: 0.2, symmetric: false) == (-8, 9))
        #expect(w.bounds(alpha: 0.5, symmetric: false) == (-7, 6))
        #expect(w.bounds(alpha: -0.3, symmetric: true) == (-9, 9))
        #expect(w.bounds(alpha: 1.2, symmetric: false) == (0, 0))
        // A full window drops its oldest: of 5, −1, 3, 9 with room for three, 5 goes; the extremes
        // are then −1 and 9, and |s| at most 9.
        var small = ScoreWindow(capacity: 3)
        for x in [5.0, -1, 3, 9] { small.append(x) }
        #expect(small.count == 3 && small.bounds(alpha: -1, symmetric: false) == (-1, 9)
                && small.bounds(alpha: -1, symmetric: true) == (-9, 9))
    }

    /// Every interval contains its point, no side narrows with the horizon, and 95% contains 80%.
    @Test func tidyKeepsThePromises() {
        let point = [10.0, 11, 12]
        let tidied = IntervalCalibrator.tidy(point: point, lower: [[9, 10.5, 12.5], [8, 10.8, 11]],
                                             upper: [[12, 11.5, 13], [11, 13, 15]], levels: [80, 95])
        #expect(tidied[0].lower == [9, 10, 11] && tidied[0].upper == [12, 13, 14])
        #expect(tidied[1].lower == [8, 9, 10] && tidied[1].upper == [12, 13, 15])
    }

    /// ACI by hand: αₜ₊₁ = αₜ + γ(α − missₜ) on every resolved forecast. A naive-perfect model (every
    /// path the value itself) for 29 origins, then 5 paths off by 0.5 that every zero-width interval
    /// misses: α = 0.2 + 29 · 0.05 · 0.2 − 5 · 0.05 · 0.8 = 0.29 after origin 35.
    @Test func adaptiveConformalUpdatesOnEveryResolvedForecast() throws {
        let values = (0..<36).map { Double($0 % 2) }   // 0, 1, 0, 1, …
        let paths = (1..<36).map { o in
            CalibrationPath(origin: o, point: [o < 30 ? values[o] : values[o] + 0.5], feedsCalibration: true)
        }
        let calibrator = IntervalCalibrator(values: values, levels: [80], horizon: 1, window: 100, minimumScores: 5,
                                            returnKind: .difference, estimationEnd: 30)
        let adaptive = try calibrator.simulate(IntervalMethod(volatility: .constant, adaptationRate: 0.05), paths: paths)
        // Origins 1…34 are resolved by origin 35 (the last path's own target is not).
        #expect(abs(adaptive.alpha[0][0] - 0.29) < 1e-12, "α = \(adaptive.alpha[0][0])")
        // Zero scores give zero-width intervals until misses enter the window.
        #expect(adaptive.intervals[20][0].lower == adaptive.intervals[20][0].upper)
        let fixed = try calibrator.simulate(IntervalMethod(volatility: .constant), paths: paths)
        #expect(abs(fixed.alpha[0][0] - 0.2) < 1e-15)
    }

    /// The Gaussian candidate: point ± z σ̂ with σ̂ the volatility model's h-step scale and z the normal
    /// quantile of ACI's current target (here nominal: no adaptation), whatever the scores.
    @Test func gaussianMethodIsThePointPlusZSigma() throws {
        let values = (0..<120).map { 100 * exp(0.02 * sin(Double($0) * 1.3)) }
        let paths = (1..<120).map { o in CalibrationPath(origin: o, point: [values[o - 1] + 1, values[o - 1] + 2], feedsCalibration: true) }
        let calibrator = IntervalCalibrator(values: values, levels: [80, 95], horizon: 2, returnKind: .log, estimationEnd: 100)
        let out = try calibrator.simulate(IntervalMethod(volatility: .ewma(lambda: 0.94), parametric: true), paths: paths).intervals
        let path = try VolatilityPath(values: values, model: .ewma(lambda: 0.94), kind: .log, estimationEnd: 100)
        let o = 110, i = o - 1
        for (li, z) in [(0, 1.2815515655446004), (1, 1.959963984540054)] {
            for h in 1...2 {
                let sigma = path.scale(origin: o, horizon: h)
                #expect(abs(out[i][li].upper[h - 1] - (paths[i].point[h - 1] + z * sigma)) < 1e-9)
                #expect(abs(out[i][li].lower[h - 1] - (paths[i].point[h - 1] - z * sigma)) < 1e-9)
            }
        }
        #expect(IntervalMethod(volatility: .garch, parametric: true).description == "GARCH(1,1) Gaussian")
        // Split conformal has no volatility model to be Gaussian about.
        #expect(!IntervalMethod(volatility: .constant, parametric: true).parametric)
    }

    /// Causality: an interval issued at origin t depends on nothing at or after t.
    @Test func intervalsIgnoreTheFuture() throws {
        var values = (0..<300).map { 100 * exp(0.01 * sin(Double($0)) + 0.001 * Double($0)) }
        func paths(_ v: [Double]) -> [CalibrationPath] {
            (1..<v.count).map { o in CalibrationPath(origin: o, point: Array(repeating: v[o - 1], count: 5), feedsCalibration: true) }
        }
        let before = try IntervalCalibrator(values: values, levels: [80, 95], horizon: 5, returnKind: .log, estimationEnd: 200)
            .simulate(IntervalMethod(volatility: .ewma(lambda: 0.94), adaptationRate: 0.01), paths: paths(values)).intervals
        for i in 250..<300 { values[i] *= 1.5 }
        let after = try IntervalCalibrator(values: values, levels: [80, 95], horizon: 5, returnKind: .log, estimationEnd: 200)
            .simulate(IntervalMethod(volatility: .ewma(lambda: 0.94), adaptationRate: 0.01), paths: paths(values)).intervals
        // Paths are indexed by origin − 1: origins up to 250 saw nothing that changed.
        #expect(before[..<249].elementsEqual(after[..<249]))
        #expect(!before[249...].elementsEqual(after[249...]))
    }

    /// Where volatility quadruples halfway through, split conformal calibrated on the calm half
    /// under-covers the volatile one; the volatility-scaled method holds its level.
    @Test func scaledConformalHoldsCoverageWhenVolatilityJumps() throws {
        var rng = GaussianNoise(seed: 7)
        var values = [100.0]
        for t in 1..<1600 {
            let sigma = t < 1000 ? 0.005 : 0.02
            values.append(values[t - 1] * exp(sigma * rng.next()))
        }
        // A naive model: every path is the last value.
        let paths = (1..<values.count).map { o in
            CalibrationPath(origin: o, point: Array(repeating: values[o - 1], count: 5), feedsCalibration: true)
        }
        let calibrator = IntervalCalibrator(values: values, levels: [80], horizon: 5, returnKind: .log, estimationEnd: 1000)
        func coverage(_ method: IntervalMethod, h: Int) throws -> Double {
            let out = try calibrator.simulate(method, paths: paths).intervals
            var hits = 0, count = 0
            for (i, p) in paths.enumerated() where p.origin >= 1010 && p.origin < 1150 && p.origin + h <= values.count {
                let y = values[p.origin + h - 1]
                if y >= out[i][0].lower[h - 1] && y <= out[i][0].upper[h - 1] { hits += 1 }
                count += 1
            }
            return 100 * Double(hits) / Double(count)
        }
        let split = try coverage(.split, h: 1), scaled = try coverage(IntervalMethod(volatility: .ewma(lambda: 0.94)), h: 1)
        #expect(split < 65, "split conformal \(split)%")
        #expect(abs(scaled - 80) < 5, "scaled \(scaled)%")
        #expect(abs(try coverage(IntervalMethod(volatility: .ewma(lambda: 0.94)), h: 5) - 80) < 6)
        // Adaptation alone recovers part of split conformal's shortfall.
        let adaptive = try coverage(IntervalMethod(volatility: .constant, adaptationRate: 0.005), h: 1)
        #expect(adaptive > split + 2, "split + ACI \(adaptive)% vs split \(split)%")
    }
}
