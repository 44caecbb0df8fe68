import Testing
import AugurForecast

private let z95 = 1.959963984540054

@Test func goldenSectionFindsAParabolaMinimumAndBoundaryMinima() {
    let interior = Optimizer.goldenSection(in: 0...5) { ($0 - 2) * ($0 - 2) + 1 }
    #expect(abs(interior.x - 2) < 1e-6 && close(interior.value, 1, 1e-10))
    // Decreasing on the whole interval: the minimum is the upper bound itself.
    #expect(Optimizer.goldenSection(in: 0...1) { -$0 }.x == 1)
}

@Test func nelderMeadSolvesRosenbrockAndRespectsBounds() {
    // Rosenbrock's valley, minimum 0 at (1, 1), from the classic start (−1.2, 1).
    let r = Optimizer.nelderMead(start: [-1.2, 1], lower: [-5, -5], upper: [5, 5], tolerance: 1e-14,
                                 maxEvaluations: 5000) { x in
        100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0])
    }
    #expect(abs(r.x[0] - 1) < 1e-4 && abs(r.x[1] - 1) < 1e-4)
    // (x − 3)² + (y + 1)² in the box [0, 1]²: the constrained minimum is the corner (1, 0).
    let b = Optimizer.nelderMead(start: [0.5, 0.5], lower: [0, 0], upper: [1, 1]) { x in
        (x[0] - 3) * (x[0] - 3) + (x[1] + 1) * (x[1] + 1)
    }
    #expect(abs(b.x[0] - 1) < 1e-6 && abs(b.x[1]) < 1e-6)
}

@Test func sesWithFixedAlphaByHand() throws {
    // y = 1, 3, 2, 4 with α = 0.5, ℓ₁ = 1:
    //   t=2: e = 2, ℓ = 2;  t=3: e = 0, ℓ = 2;  t=4: e = 2, ℓ = 3.  SSE = 8, forecast 3.
    // σ² = 8/(3 residuals − 1 parameter) = 4; h = 3: se² = 4·(1 + 0.25·2) = 6.
    let f = try fitPredict(SimpleExponentialSmoothing(alpha: 0.5), [1, 3, 2, 4], horizon: 3)
    #expect(f.point == [3, 3, 3])
    #expect(close(f.interval(level: 95)!.upper[2], 3 + z95 * 6.0.squareRoot()))
}

@Test func sesFitsAlphaAtTheSSEMinimum() throws {
    let y: [Double] = [10, 12, 11, 13, 12.5, 14, 13, 15, 14.2, 15.5, 15, 16.1]
    var model = SimpleExponentialSmoothing()
    try model.fit(TimeSeriesHistory(values: y))
    // Compare with a grid over α of the same SSE computed here independently.
    func sse(_ a: Double) -> Double {
        var level = y[0], s = 0.0
        for v in y.dropFirst() { s += (v - level) * (v - level); level += a * (v - level) }
        return s
    }
    let grid = stride(from: 0.0001, through: 0.9999, by: 0.0001).min { sse($0) < sse($1) }!
    #expect(abs(model.alpha - grid) < 2e-4)
    // A constant series is forecast as itself with zero-width intervals, whatever α is.
    let constant = try fitPredict(SimpleExponentialSmoothing(), [5, 5, 5, 5, 5], horizon: 2)
    #expect(constant.point == [5, 5] && constant.interval(level: 95)!.upper == [5, 5])
}

@Test func holtWithFixedParametersByHand() throws {
    // y = 1, 3, 2, 4; α = β* = 0.5, φ = 1; ℓ₁ = 1, b₁ = 2.
    //   t=2: ŷ = 3,    e = 0      → ℓ = 3,     b = 2
    //   t=3: ŷ = 5,    e = −3     → ℓ = 3.5,   b = 2 − 0.25·3 = 1.25
    //   t=4: ŷ = 4.75, e = −0.75  → ℓ = 4.375, b = 1.25 − 0.25·0.75 = 1.0625
    // Forecasts ℓ + h·b = 5.4375, 6.5. SSE = 9.5625, σ² = 9.5625/(3 − 2) ; c₁ = α + αβ* = 0.75.
    let f = try fitPredict(HoltForecaster(damped: false, alpha: 0.5, beta: 0.5), [1, 3, 2, 4], horizon: 2)
    #expect(close(f.point, [5.4375, 6.5]))
    #expect(close(f.interval(level: 95)!.upper[0], 5.4375 + z95 * 9.5625.squareRoot()))
    #expect(close(f.interval(level: 95)!.upper[1], 6.5 + z95 * (9.5625 * (1 + 0.75 * 0.75)).squareRoot()))
}

@Test func holtRecoversAnExactLinearTrend() throws {
    // y_t = 3 + 2t: with b₁ = y₂ − y₁ = 2 every one-step error is zero, so the forecast continues the line
    // exactly: y_n + 2h.
    let y = (0..<30).map { 3 + 2 * Double($0) }
    var model = HoltForecaster(damped: false)
    try model.fit(TimeSeriesHistory(values: y))
    let f = try model.predict(horizon: 5, levels: [95])
    #expect(close(f.point, (1...5).map { y[29] + 2 * Double($0) }, 1e-12))
    #expect(f.intervals[0].upper == f.point)   // zero residuals, zero width
    #expect(model.phi == 1)
}

@Test func holtDampedVarianceMatchesClosedForm() throws {
    // FPP3 Table 8.8, ETS(A,Ad,N), with β = αβ*:
    //   v_h/σ² = 1 + α²(h−1) + βφh/(1−φ)²·(2α(1−φ) + βφ) − βφ(1−φ^h)/((1−φ)²(1−φ²))·(2α(1−φ²) + βφ(1+2φ−φ^h))
    // Our sum form σ²(1 + Σ_{j<h} c_j²) must agree at every h.
    let (a, bStar, phi) = (0.6, 0.3, 0.9)
    let beta = a * bStar
    let y: [Double] = [10, 11, 13, 12, 14, 15, 15.5, 17, 16.5, 18]
    let f = try fitPredict(HoltForecaster(damped: true, alpha: a, beta: bStar, phi: phi), y, horizon: 6, levels: [95])
    let base = (f.intervals[0].upper[0] - f.point[0]) / z95   // σ
    for h in 1...5 {
        let hd = Double(h), ph = (0..<h).reduce(1.0) { r, _ in r * phi }
        let closed = 1 + a * a * (hd - 1) + beta * phi * hd / ((1 - phi) * (1 - phi)) * (2 * a * (1 - phi) + beta * phi)
            - beta * phi * (1 - ph) / ((1 - phi) * (1 - phi) * (1 - phi * phi)) * (2 * a * (1 - phi * phi) + beta * phi * (1 + 2 * phi - ph))
        let ours = (f.intervals[0].upper[h - 1] - f.point[h - 1]) / z95 / base
        #expect(close(ours * ours, closed, 1e-9), "h=\(h)")
    }
}

@Test func multiplicativeDecompositionRecoversExactSeasonalIndices() throws {
    // y_t = 100·s[t mod 4] with s averaging 1: the 2×4 moving average is exactly 100, so y/trend = s.
    let s = [0.8, 1.2, 0.9, 1.1]
    let y = (0..<20).map { 100 * s[$0 % 4] }
    #expect(close(try ClassicalDecomposition.multiplicativeIndices(y, period: 4), s, 1e-12))
}

@Test func thetaIsSESPlusHalfTheTrendSlope() throws {
    let y: [Double] = [10, 12, 11, 13, 12.5, 14, 13, 15, 14.2, 15.5, 15, 16.1]
    var theta = ThetaForecaster()
    try theta.fit(TimeSeriesHistory(values: y))
    var ses = SimpleExponentialSmoothing()
    try ses.fit(TimeSeriesHistory(values: y))
    // Least-squares slope through (t, y_t), t = 0…11: Σ(t − 5.5)(y − ȳ)/Σ(t − 5.5)², computed here directly.
    let tMean = 5.5, yMean = y.reduce(0, +) / 12
    let slope = y.indices.reduce(0.0) { $0 + (Double($1) - tMean) * (y[$1] - yMean) }
        / y.indices.reduce(0.0) { $0 + (Double($1) - tMean) * (Double($1) - tMean) }
    #expect(close(theta.drift, slope / 2) && theta.alpha == ses.alpha && theta.seasonalIndices.isEmpty)
    let a = ses.alpha
    let f = try theta.predict(horizon: 3, levels: [95]), g = try ses.predict(horizon: 3, levels: [95])
    for h in 1...3 {
        let expected = g.point[h - 1] + slope / 2 * (Double(h - 1) + (1 - pow1(1 - a, 12)) / a)
        #expect(close(f.point[h - 1], expected))
        // Same SES interval half-width.
        #expect(close(f.intervals[0].upper[h - 1] - f.point[h - 1], g.intervals[0].upper[h - 1] - g.point[h - 1]))
    }
}

@Test func thetaDeseasonalisesASeasonalSeries() throws {
    // A flat level times a strong 4-period pattern: the ACF test finds the season, the deseasonalised
    // series is constant (no slope, SES flat at 100), so the forecast is the pattern itself.
    let s = [0.8, 1.2, 0.9, 1.1]
    let y = (0..<20).map { 100 * s[$0 % 4] }
    var theta = ThetaForecaster(season: 4)
    try theta.fit(TimeSeriesHistory(values: y))
    #expect(close(theta.seasonalIndices, s, 1e-12))
    #expect(close(try theta.predict(horizon: 5, levels: []).point, [80, 120, 90, 110, 80], 1e-9))
}

private func pow1(_ b: Double, _ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * b } }
