import AugurCore
import Foundation

/// The orders of a seasonal ARIMA(p,d,q)(P,D,Q)[m] model.
public struct ARIMAOrder: Hashable, Sendable, CustomStringConvertible {
    public var p: Int, d: Int, q: Int
    public var P: Int, D: Int, Q: Int
    /// Season length (1: no seasonal part).
    public var m: Int

    public init(_ p: Int, _ d: Int, _ q: Int, seasonal: (P: Int, D: Int, Q: Int) = (0, 0, 0), m: Int = 1) {
        self.p = p; self.d = d; self.q = q
        self.P = seasonal.P; self.D = seasonal.D; self.Q = seasonal.Q
        self.m = m
    }

    public var description: String {
        var s = "ARIMA(\(p),\(d),\(q))"
        if m > 1, P + D + Q > 0 { s += "(\(P),\(D),\(Q))[\(m)]" }
        return s
    }

    /// Observations lost to differencing.
    var differencingLoss: Int { d + D * m }
    var coefficientCount: Int { p + q + P + Q }
}

/// A fitted ARIMA model: orders, coefficients, fit statistics, and the state at the end of the history
/// that forecasts start from.
public struct ARIMAModel: Sendable, Equatable, CustomStringConvertible {
    public enum Constant: Sendable, Equatable {
        /// No constant term.
        case none
        /// A non-zero mean (no differencing).
        case mean
        /// A linear drift (one difference, regular or seasonal).
        case drift
    }

    public var order: ARIMAOrder
    public var constant: Constant
    public var ar: [Double], ma: [Double], sar: [Double], sma: [Double]
    /// The mean of the differenced series: the intercept, or the drift times m^D.
    public var mu: Double
    /// Innovation variance (the sum of squared standardised residuals over n − d − Dm − k).
    public var sigma2: Double
    public var logLikelihood: Double
    public var aic: Double
    public var aicc: Double
    /// How the coefficients were estimated.
    public var method: ARIMA.Method

    // The state forecasts start from.
    var phi: [Double], theta: [Double]
    /// The filtered ARMA state and its covariance (r × r, in units of σ²) after the last observation.
    var state: [Double], stateCovariance: [Double]
    /// The last d + Dm + 1 values of the series less its regression part, newest first.
    var lags: [Double]
    /// The number of observations fitted.
    var count: Int

    /// The drift per step (nil unless `constant == .drift`).
    public var drift: Double? { constant == .drift ? mu / pow(Double(order.m), Double(order.D)) : nil }

    public var description: String {
        var s = order.description
        switch constant {
        case .none: if order.d + order.D == 0 { s += " with zero mean" }
        case .mean: s += " with non-zero mean"
        case .drift: s += " with drift"
        }
        func list(_ name: String, _ v: [Double]) -> String? {
            v.isEmpty ? nil : "\(name)=" + v.map { String(format: "%.3f", $0) }.joined(separator: ",")
        }
        let parts = [list("ar", ar), list("ma", ma), list("sar", sar), list("sma", sma),
                     constant == .mean ? String(format: "mean=%.4g", mu) : nil,
                     constant == .drift ? String(format: "drift=%.4g", drift ?? 0) : nil].compactMap { $0 }
        if !parts.isEmpty { s += " " + parts.joined(separator: " ") }
        return s + String(format: ", AICc %.1f", aicc)
    }
}

/// ARIMA estimation as R's `arima` (and statsforecast's port of it): conditional sum of squares for
/// starting values, then exact Gaussian likelihood from a Kalman filter on the state-space form, AR parts
/// kept stationary by the partial-autocorrelation transform.
///
/// The differencing is applied to the data and the ARMA part filtered exactly on the differenced series,
/// which is the likelihood R's diffuse filter computes (it drops the d + Dm diffuse observations); the
/// forecasts then run the full state space with the differencing states, as R's `predict`.
public enum ARIMA {
    public enum Method: Sendable, Equatable {
        /// Conditional sum of squares only (the search's approximation for long series).
        case css
        /// CSS starting values, then maximum likelihood.
        case cssML
    }

    // MARK: Polynomials and transforms

    /// The expanded AR (φ, length p + mP) and MA (θ, length q + mQ) polynomials of the coefficient vector
    /// [ar, ma, sar, sma], as R's `arima_transpar`.
    static func expand(_ c: [Double], _ o: ARIMAOrder) -> (phi: [Double], theta: [Double]) {
        let m = o.m
        var phi = [Double](repeating: 0, count: o.p + m * o.P)
        var theta = [Double](repeating: 0, count: o.q + m * o.Q)
        for i in 0..<o.p { phi[i] = c[i] }
        for i in 0..<o.q { theta[i] = c[o.p + i] }
        for j in 0..<o.P {
            let s = c[o.p + o.q + j]
            phi[(j + 1) * m - 1] += s
            for i in 0..<o.p { phi[(j + 1) * m + i] -= c[i] * s }
        }
        for j in 0..<o.Q {
            let s = c[o.p + o.q + o.P + j]
            theta[(j + 1) * m - 1] += s
            for i in 0..<o.q { theta[(j + 1) * m + i] += c[o.p + i] * s }
        }
        return (phi, theta)
    }

    /// Partial autocorrelations in (−1, 1) (as tanh of free values) to the coefficients of a stationary
    /// AR polynomial, by the Durbin–Levinson recursion.
    static func fromPartials(_ raw: ArraySlice<Double>) -> [Double] {
        var v = raw.map { tanh($0) }
        var work = v
        for j in 1..<max(v.count, 1) {
            for k in 0..<j { work[k] = v[k] - v[j] * v[j - k - 1] }
            for k in 0..<j { v[k] = work[k] }
        }
        return v
    }

    /// The Levinson step-down: the partial autocorrelations of an AR polynomial, nil unless it is
    /// stationary (every |κ| < 1).
    static func partials(_ phi: [Double]) -> [Double]? {
        var out = phi, work = phi
        guard !phi.isEmpty else { return [] }
        for j in stride(from: phi.count - 1, to: 0, by: -1) {
            let a = out[j]
            guard abs(a) < 1 else { return nil }
            for k in 0..<j { work[k] = (out[k] + a * out[j - k - 1]) / (1 - a * a) }
            for k in 0..<j { out[k] = work[k] }
        }
        return abs(out[0]) < 1 ? out : nil
    }

    /// Whether every root of 1 − Σ φ_i z^i lies outside the circle of `radius`.
    static func rootsOutside(_ phi: [Double], radius: Double) -> Bool {
        var last = phi.count - 1
        while last >= 0, abs(phi[last]) <= 1e-8 { last -= 1 }
        guard last >= 0 else { return true }
        var scale = 1.0
        let scaled = (0...last).map { i -> Double in scale *= radius; return phi[i] * scale }
        return partials(scaled) != nil
    }

    // MARK: Differencing

    /// Δ^d Δ_m^D y.
    static func difference(_ y: [Double], d: Int, D: Int, m: Int) -> [Double] {
        var w = y
        for _ in 0..<d { w = w.count > 1 ? (1..<w.count).map { w[$0] - w[$0 - 1] } : [] }
        for _ in 0..<D { w = w.count > m ? (m..<w.count).map { w[$0] - w[$0 - m] } : [] }
        return w
    }

    /// The coefficients δ of (1 − B)^d (1 − B^m)^D = 1 − Σ δ_i B^i.
    static func differencingPolynomial(d: Int, D: Int, m: Int) -> [Double] {
        var poly = [1.0]
        func multiply(_ f: [Double]) {
            var out = [Double](repeating: 0, count: poly.count + f.count - 1)
            for (i, a) in poly.enumerated() { for (j, b) in f.enumerated() { out[i + j] += a * b } }
            poly = out
        }
        for _ in 0..<d { multiply([1, -1]) }
        for _ in 0..<D { multiply([1] + [Double](repeating: 0, count: max(m - 1, 0)) + [-1]) }
        return poly.dropFirst().map { -$0 }
    }

    // MARK: Conditional sum of squares

    /// The CSS innovation variance of the ARMA on the differenced series `w` less `mu`, residuals counted
    /// from index `start` (p + mP) with earlier ones zero, as R's `arima_css`. The mean is taken out
    /// inside the loop: (w_l − μ) − Σ φ_j (w_{l−j−1} − μ) = w_l − Σ φ_j w_{l−j−1} − μ(1 − Σ φ_j).
    static func css(_ w: UnsafeBufferPointer<Double>, mu: Double, phi: [Double], theta: [Double], start: Int,
                    residuals: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = w.count, p = phi.count, q = theta.count
        guard start < n else { return .infinity }
        var ssq = 0.0
        for l in 0..<start { residuals[l] = 0 }
        let shift = mu * (1 - phi.reduce(0, +))
        phi.withUnsafeBufferPointer { ph in
            theta.withUnsafeBufferPointer { th in
                for l in start..<n {
                    // Everything but θ₁ e_{l−1} first, in two chains, so that only one multiply-add
                    // waits for the previous residual.
                    var t0 = w[l] - shift, t1 = 0.0
                    var j = 0
                    while j + 1 < p { t0 -= ph[j] * w[l - j - 1]; t1 -= ph[j + 1] * w[l - j - 2]; j += 2 }
                    if j < p { t0 -= ph[j] * w[l - j - 1] }
                    let qq = min(l - start, q)
                    j = 1
                    while j + 1 < qq { t0 -= th[j] * residuals[l - j - 1]; t1 -= th[j + 1] * residuals[l - j - 2]; j += 2 }
                    if j < qq { t0 -= th[j] * residuals[l - j - 1] }
                    var t = t0 + t1
                    if qq > 0 { t -= th[0] * residuals[l - 1] }
                    residuals[l] = t
                    ssq += t * t
                }
            }
        }
        return ssq / Double(n - start)
    }

    // MARK: Exact likelihood

    /// The autocovariances γ(0…lags) of the ARMA(φ, θ) with unit innovation variance and its ψ-weights
    /// ψ(0…lags): the (p + 1)-equation linear system of Brockwell & Davis (3.3.8), then the AR recursion.
    /// nil when the system is singular (a unit root).
    static func autocovariances(phi: [Double], theta: [Double], lags: Int) -> (gamma: [Double], psi: [Double])? {
        let p = phi.count, q = theta.count
        let count = max(lags, p, q) + 1
        var psi = [Double](repeating: 0, count: count)
        psi[0] = 1
        for j in 1..<count {
            var v = j <= q ? theta[j - 1] : 0
            for i in 1...min(j, max(p, 1)) where i <= p { v += phi[i - 1] * psi[j - i] }
            psi[j] = v
        }
        // The right-hand sides Σ_{j=k}^{q} θ_j ψ_{j−k} (θ_0 = 1).
        func rhs(_ k: Int) -> Double {
            guard k <= q else { return 0 }
            var v = 0.0
            for j in k...q { v += (j == 0 ? 1 : theta[j - 1]) * psi[j - k] }
            return v
        }
        var gamma = [Double](repeating: 0, count: count)
        if p == 0 {
            for k in 0..<count { gamma[k] = rhs(k) }
            return (gamma, psi)
        }
        // γ(k) − Σ_i φ_i γ(|k − i|) = rhs(k), k = 0…p, for γ(0…p): forward elimination with partial
        // pivoting, then back substitution.
        let size = p + 1, width = size + 1
        let a = UnsafeMutableBufferPointer<Double>.allocate(capacity: size * width)
        defer { a.deallocate() }
        a.initialize(repeating: 0)
        for k in 0...p {
            a[k * width + k] += 1
            for i in 1...p { a[k * width + abs(k - i)] -= phi[i - 1] }
            a[k * width + size] = rhs(k)
        }
        // Rows through pointers, so that the row updates (the same operations element by element) go
        // in vector lanes instead of checked index arithmetic per element.
        let base = a.baseAddress!
        for c in 0..<size {
            var pivot = c
            for r in (c + 1)..<max(size, c + 1) where abs(base[r * width + c]) > abs(base[pivot * width + c]) { pivot = r }
            guard abs(base[pivot * width + c]) > 1e-12 else { return nil }
            let rowC = base + c * width
            if pivot != c {
                let rowP = base + pivot * width
                for j in c...size { let t = rowC[j]; rowC[j] = rowP[j]; rowP[j] = t }
            }
            let d = rowC[c]
            for r in (c + 1)..<max(size, c + 1) {
                let rowR = base + r * width
                let f = rowR[c] / d
                if f != 0 { for j in c...size { rowR[j] -= f * rowC[j] } }
            }
        }
        gamma.withUnsafeMutableBufferPointer { g in
            for k in stride(from: p, through: 0, by: -1) {
                let rowK = base + k * width
                var v = rowK[size]
                for j in (k + 1)..<max(size, k + 1) { v -= rowK[j] * g[j] }
                g[k] = v / rowK[k]
            }
        }
        if count > p + 1 {
            for k in (p + 1)..<count {
                var v = rhs(k)
                for i in 1...p { v += phi[i - 1] * gamma[k - i] }
                gamma[k] = v
            }
        }
        guard gamma[0] > 0, gamma.allSatisfy(\.isFinite) else { return nil }
        return (gamma, psi)
    }

    /// The stationary covariance of the ARMA state (r = max(p, q + 1); Harvey's form, σ² = 1), the
    /// solution of P = T P Tᵀ + v vᵀ. The state's i-th element is Σ_{k≥i} (φ_k y_{t−1−(k−i)} + v_k ε_{t−(k−i)}),
    /// so its first row comes from the autocovariances and ψ-weights, and the rest from the fixed point
    /// itself, bottom-right first: O(p³ + r²) instead of Gardner's O(r⁴). nil for a non-stationary φ.
    static func initialCovariance(phi: [Double], theta: [Double]) -> [Double]? {
        let p = phi.count, r = max(p, theta.count + 1)
        if r == 1 { return p == 0 ? [1] : (abs(phi[0]) < 1 ? [1 / (1 - phi[0] * phi[0])] : nil) }
        guard let (gamma, psi) = autocovariances(phi: phi, theta: theta, lags: r) else { return nil }
        var v = [Double](repeating: 0, count: r)
        v[0] = 1
        for i in 0..<theta.count { v[i + 1] = theta[i] }
        func ph(_ i: Int) -> Double { i < p ? phi[i] : 0 }
        var row = [Double](repeating: 0, count: r + 1)   // P[0][j], with P[0][r] = 0
        for j in 0..<r {
            var c = 0.0
            for k in j..<r { c += ph(k) * gamma[1 + k - j] + v[k] * psi[k - j] }
            row[j] = c
        }
        row[0] = gamma[0]
        var s = [Double](repeating: 0, count: r * r)
        for i in stride(from: r - 1, through: 0, by: -1) {
            for j in stride(from: r - 1, through: i, by: -1) {
                var t = v[i] * v[j] + ph(i) * ph(j) * gamma[0] + ph(i) * row[j + 1] + ph(j) * row[i + 1]
                if i + 1 < r, j + 1 < r { t += s[(i + 1) * r + j + 1] }
                s[i * r + j] = t
                s[j * r + i] = t
            }
        }
        return s.allSatisfy(\.isFinite) ? s : nil
    }

    /// What the Kalman filter leaves: Σ e²/f, Σ log f over the `count` observations, the filtered state
    /// and covariance after the last one.
    struct Filtered {
        var ssq: Double, sumLog: Double, count: Int
        var state: [Double], covariance: [Double]
    }

    /// The exact Gaussian likelihood of the ARMA(φ, θ) for the zero-mean series `u` by the Kalman filter
    /// of R's `ARIMA_Like` (without the diffuse part); standardised residuals e/√f go to `residuals`.
    /// The covariance goes straight from one prediction to the next, P′ = T (P − g gᵀ/f) Tᵀ + v vᵀ with
    /// g = P e₁, in one pass over its upper triangle using the companion form of T; once it stops
    /// changing the filter keeps its gain fixed (the steady state), the same recursion at a fraction of
    /// its cost.
    static func filter(_ u: UnsafeBufferPointer<Double>, phi: [Double], theta: [Double],
                       residuals: UnsafeMutableBufferPointer<Double>? = nil) -> Filtered? {
        guard let p0 = initialCovariance(phi: phi, theta: theta) else { return nil }
        let p = phi.count, q = theta.count, r = max(p, q + 1), n = u.count
        let work = UnsafeMutableBufferPointer<Double>.allocate(capacity: r * r + 6 * r)
        defer { work.deallocate() }
        let pn = UnsafeMutableBufferPointer(rebasing: work[0..<(r * r)])
        let a = UnsafeMutableBufferPointer(rebasing: work[(r * r)..<(r * r + r)])
        let anew = UnsafeMutableBufferPointer(rebasing: work[(r * r + r)..<(r * r + 2 * r)])
        let g = UnsafeMutableBufferPointer(rebasing: work[(r * r + 2 * r)..<(r * r + 3 * r)])
        let tg = UnsafeMutableBufferPointer(rebasing: work[(r * r + 3 * r)..<(r * r + 4 * r)])
        let ph = UnsafeMutableBufferPointer(rebasing: work[(r * r + 4 * r)..<(r * r + 5 * r)])
        let v = UnsafeMutableBufferPointer(rebasing: work[(r * r + 5 * r)..<(r * r + 6 * r)])
        for i in 0..<(r * r) { pn[i] = p0[i] }
        for i in 0..<r { a[i] = 0; ph[i] = i < p ? phi[i] : 0; v[i] = i == 0 ? 1 : (i - 1 < q ? theta[i - 1] : 0) }
        var ssq = 0.0, sumLog = 0.0
        var steady = false, gain = 1.0, lastGain = 1.0
        for l in 0..<n {
            // State prediction: anew = T a.
            let a0 = a[0]
            for i in 0..<(r - 1) { anew[i] = a[i + 1] + ph[i] * a0 }
            anew[r - 1] = ph[r - 1] * a0
            if !steady {
                gain = pn[0]
                for i in 0..<r { g[i] = pn[i * r] }
            }
            guard gain > 0, gain.isFinite else { return nil }
            let resid = u[l] - anew[0]
            ssq += resid * resid / gain
            sumLog += log(gain)
            residuals?[l] = resid / gain.squareRoot()
            let k = resid / gain
            for i in 0..<r { a[i] = anew[i] + g[i] * k }
            lastGain = gain
            if steady || l == n - 1 { continue }
            // The next prediction's covariance, in place (row 0 is saved in g; (i+1, j+1) is read before
            // it is written).
            for i in 0..<r { tg[i] = ph[i] * g[0] + (i + 1 < r ? g[i + 1] : 0) }
            let p00 = g[0], invGain = 1 / gain
            var change = 0.0, size = 0.0
            for i in 0..<r {
                let phiI = ph[i], vI = v[i], tgI = tg[i] * invGain
                let gI1 = i + 1 < r ? g[i + 1] : 0
                for j in i..<r {
                    let phiJ = ph[j]
                    var t = vI * v[j] + phiI * phiJ * p00 - tgI * tg[j]
                    if j + 1 < r {
                        t += phiI * g[j + 1]
                        if i + 1 < r { t += pn[(i + 1) * r + j + 1] }
                    }
                    t += phiJ * gI1
                    let old = pn[i * r + j]
                    change = max(change, abs(t - old)); size = max(size, abs(t))
                    pn[i * r + j] = t
                }
            }
            for i in 0..<r { for j in (i + 1)..<max(r, i + 1) { pn[j * r + i] = pn[i * r + j] } }
            if change <= 1e-13 * size { steady = true }
        }
        guard ssq.isFinite else { return nil }
        // The filtered covariance after the last observation: P − g gᵀ / f.
        var covariance = [Double](repeating: 0, count: r * r)
        for i in 0..<r { for j in 0..<r { covariance[i * r + j] = pn[i * r + j] - g[i] * g[j] / lastGain } }
        return Filtered(ssq: ssq, sumLog: sumLog, count: n, state: Array(a), covariance: covariance)
    }

    /// The likelihood sums of `filter` (Σ e²/f, Σ log f) by the Chandrasekhar recursions (Morf, Sidhu &
    /// Kailath 1974; Herbst 2015): started from the stationary covariance, the covariance's change
    /// P_{t+1} − P_t has rank one, W M Wᵀ, so the gain and the innovation variance update in O(r) per
    /// observation instead of O(r²). The optimiser's objective; `filter` gives the final state.
    static func likelihood(_ u: UnsafeBufferPointer<Double>, phi: [Double], theta: [Double]) -> (ssq: Double, sumLog: Double)? {
        guard let p0 = initialCovariance(phi: phi, theta: theta) else { return nil }
        let p = phi.count, r = max(p, theta.count + 1), n = u.count
        let work = UnsafeMutableBufferPointer<Double>.allocate(capacity: 5 * r)
        defer { work.deallocate() }
        let a = UnsafeMutableBufferPointer(rebasing: work[0..<r])
        let k = UnsafeMutableBufferPointer(rebasing: work[r..<(2 * r)])
        let w = UnsafeMutableBufferPointer(rebasing: work[(2 * r)..<(3 * r)])
        let tw = UnsafeMutableBufferPointer(rebasing: work[(3 * r)..<(4 * r)])
        let ph = UnsafeMutableBufferPointer(rebasing: work[(4 * r)..<(5 * r)])
        for i in 0..<r { a[i] = 0; ph[i] = i < p ? phi[i] : 0 }
        // F = P₁[0,0]; K = T P₁ e₁ / F; P₂ − P₁ = −F K Kᵀ (P₁ is stationary), so W = K, M = −F. Then
        // F′ = F + M w₀², K′ = (K F + T W M w₀) / F′, M′ = M + M² w₀² / F, W′ = T W − K′ w₀ (w₀ = Z W).
        var f = p0[0]
        guard f > 0, f.isFinite else { return nil }
        for i in 0..<r { k[i] = (ph[i] * p0[0] + (i + 1 < r ? p0[(i + 1) * r] : 0)) / f }
        for i in 0..<r { w[i] = k[i] }
        var mScalar = -f
        // Σ log F as one log of a product kept in [1, 2) by moving exponents out (ETS.renormalise).
        var ssq = 0.0, sumLog = 0.0, product = 1.0, exponents = 0
        var steadyFrom = n   // from here on F and K no longer change (to 1e-15)
        for l in 0..<n {
            let resid = u[l] - a[0]
            ssq += resid * resid / f
            if l < steadyFrom {
                product *= f
                ETS.renormalise(&product, &exponents)
            }
            // a ← T a + K e (the predicted state).
            let a0 = a[0]
            for i in 0..<(r - 1) { a[i] = a[i + 1] + ph[i] * a0 + k[i] * resid }
            a[r - 1] = ph[r - 1] * a0 + k[r - 1] * resid
            if l == n - 1 || steadyFrom < n { continue }
            let w0 = w[0]
            var wMax = 0.0
            for i in 0..<r { wMax = max(wMax, abs(w[i])) }
            if abs(mScalar) * wMax * wMax <= 1e-15 * f {   // P's change M W Wᵀ is negligible from here on
                steadyFrom = l + 1
                sumLog += Double(n - steadyFrom) * log(f)
                continue
            }
            let fNew = f + mScalar * w0 * w0
            guard fNew > 0, fNew.isFinite else { return nil }
            for i in 0..<(r - 1) { tw[i] = w[i + 1] + ph[i] * w0 }
            tw[r - 1] = ph[r - 1] * w0
            let c = mScalar * w0
            for i in 0..<r { k[i] = (k[i] * f + tw[i] * c) / fNew }
            mScalar += mScalar * mScalar * w0 * w0 / f
            for i in 0..<r { w[i] = tw[i] - k[i] * w0 }
            f = fNew
        }
        sumLog += ETS.logarithm(product, exponents)
        guard ssq.isFinite, sumLog.isFinite else { return nil }
        return (ssq, sumLog)
    }

    // MARK: Fitting

    /// The coefficient vector [ar, ma, sar, sma] from the optimiser's, undoing the AR transforms.
    static func untransform(_ x: [Double], _ o: ARIMAOrder) -> [Double] {
        var c = x
        if o.p > 0 { c.replaceSubrange(0..<o.p, with: fromPartials(x[0..<o.p])) }
        if o.q > 0 { c.replaceSubrange(o.p..<(o.p + o.q), with: invertibleMA(x[o.p..<(o.p + o.q)], radius: maRadius)) }
        let s = o.p + o.q
        if o.P > 0 { c.replaceSubrange(s..<(s + o.P), with: fromPartials(x[s..<(s + o.P)])) }
        if o.Q > 0 {
            c.replaceSubrange((s + o.P)..<(s + o.P + o.Q),
                              with: invertibleMA(x[(s + o.P)..<(s + o.P + o.Q)], radius: pow(maRadius, Double(o.m))))
        }
        return c
    }

    /// The margin the search demands of MA roots (auto.arima's 1.01). Maximum likelihood keeps every MA
    /// part inside it, so that an MA polynomial driven to the unit circle (an over-differenced series)
    /// ends on the margin rather than past it, where the model would be thrown out.
    static let maRadius = 1.01

    /// MA coefficients θ whose polynomial 1 + Σ θ_i z^i has every root outside `radius`, from free values:
    /// a stationary AR polynomial a (from partial autocorrelations) turned into θ_i = −a_i / radius^i.
    /// Free values beyond ±7 (partials within 2·10⁻⁶ of ±1) act as ±7: the objective is flat there, so the
    /// optimiser stops at the margin instead of creeping towards it for a hundred iterations.
    static func invertibleMA(_ raw: ArraySlice<Double>, radius: Double) -> [Double] {
        var scale = 1.0
        return fromPartials(raw.map { min(max($0, -7), 7) }[...]).map { a -> Double in scale *= radius; return -a / scale }
    }

    /// The free values of MA coefficients inside the margin; coefficients outside it are first drawn in
    /// (θ_i shrunk by 0.95^i, moving every root out by 5%, until they are inside).
    static func freeMA(_ theta: ArraySlice<Double>, radius: Double) -> [Double] {
        var t = Array(theta)
        for _ in 0..<200 {
            var scale = 1.0
            let a = t.map { v -> Double in scale *= radius; return -v * scale }
            if let k = partials(a) { return k.map { atanh(min(max($0, -0.999999), 0.999999)) } }
            var shrink = 1.0
            for i in t.indices { shrink *= 0.95; t[i] *= shrink }
        }
        return [Double](repeating: 0, count: t.count)
    }

    /// The optimiser's free values: atanh of the partial autocorrelations of the stationary AR parts and
    /// of the MA parts inside the margin (drawn inside first when they are not). nil when an AR part is
    /// not stationary.
    static func transform(_ c: [Double], _ o: ARIMAOrder) -> [Double]? {
        var x = c
        if o.p > 0 {
            guard let k = partials(Array(c[0..<o.p])), k.allSatisfy({ abs($0) < 1 }) else { return nil }
            x.replaceSubrange(0..<o.p, with: k.map { atanh($0) })
        }
        if o.q > 0 {
            x.replaceSubrange(o.p..<(o.p + o.q), with: freeMA(c[o.p..<(o.p + o.q)], radius: maRadius))
        }
        let s = o.p + o.q
        if o.P > 0 {
            guard let k = partials(Array(c[s..<(s + o.P)])) else { return nil }
            x.replaceSubrange(s..<(s + o.P), with: k.map { atanh($0) })
        }
        if o.Q > 0 {
            x.replaceSubrange((s + o.P)..<(s + o.P + o.Q),
                              with: freeMA(c[(s + o.P)..<(s + o.P + o.Q)], radius: pow(maRadius, Double(o.m))))
        }
        return x
    }

    /// Fits ARIMA `order` to `y` with or without its constant (a mean when d + D = 0, a drift when
    /// d + D = 1, none otherwise), as statsforecast's `myarima`: the information criteria use k + 1
    /// parameters and n − d − Dm observations; a model with an AR root inside 1.01 gets an infinite AICc.
    /// Unlike R and statsforecast, maximum likelihood keeps the MA parts inside that margin (their own
    /// partial-autocorrelation transform), so an over-differenced series keeps its MA model with the
    /// coefficient on the margin instead of losing it. nil when the model cannot be estimated.
    ///
    /// `coefficients` given ([ar, ma, sar, sma] and the mean or drift-times-m^D last, when there is one)
    /// skips the estimation: the model, its likelihood and forecasts at those values.
    public static func fit(_ y: [Double], order o: ARIMAOrder, constant wantConstant: Bool,
                           method: Method = .cssML, coefficients given: [Double]? = nil) -> ARIMAModel? {
        let diffs = o.d + o.D
        let constant: ARIMAModel.Constant = !wantConstant ? .none : diffs == 0 ? .mean : diffs == 1 ? .drift : .none
        let w = difference(y, d: o.d, D: o.D, m: o.m)
        let narma = o.coefficientCount
        let hasMu = constant != .none
        let k = narma + (hasMu ? 1 : 0)
        let nUsed = w.count
        let condition = o.p + o.m * o.P
        guard nUsed > condition + 1, nUsed > k + 1 else { return nil }

        // The mean parameter is optimised as μ0 + scale·z, the OLS value and ten standard errors (R's parscale).
        let mu0 = hasMu ? w.reduce(0, +) / Double(nUsed) : 0
        let sd = hasMu ? (w.reduce(0) { $0 + ($1 - mu0) * ($1 - mu0) } / Double(max(nUsed - 1, 1))).squareRoot() : 0
        let muScale = hasMu ? max(10 * sd / Double(nUsed).squareRoot(), 1e-8 * max(abs(mu0), 1)) : 1

        var u = [Double](repeating: 0, count: nUsed)
        var scratch = [Double](repeating: 0, count: nUsed)
        func demean(_ mu: Double) { for i in 0..<nUsed { u[i] = w[i] - mu } }

        /// The mean of an optimiser's vector.
        func muOf(_ v: [Double]) -> Double { hasMu ? mu0 + muScale * v[narma] : 0 }
        /// The CSS objective from its innovation variance.
        func cssValue(_ s2: Double) -> Double { s2.isFinite ? (s2 > 0 ? 0.5 * log(s2) : -.infinity) : .greatestFiniteMagnitude }
        /// The exact-likelihood objective from the filter's sums: ½ (log(Σe²/f / n) + Σ log f / n).
        func mlValue(_ f: (ssq: Double, sumLog: Double)?) -> Double {
            guard let f else { return .greatestFiniteMagnitude }
            let s2 = f.ssq / Double(nUsed)
            guard s2 > 0 else { return .greatestFiniteMagnitude }
            return 0.5 * (log(s2) + f.sumLog / Double(nUsed))
        }

        func cssObjective(_ x: [Double]) -> Double {
            let (phi, theta) = expand(x, o)
            return cssValue(w.withUnsafeBufferPointer { wp in
                scratch.withUnsafeMutableBufferPointer { css(wp, mu: muOf(x), phi: phi, theta: theta, start: condition, residuals: $0) }
            })
        }

        var x = [Double](repeating: 0, count: k)
        if let given {
            guard given.count == k else { return nil }
            x = Array(given[0..<narma]) + (hasMu ? [(given[narma] - mu0) / muScale] : [])
        } else if k > 0 {
            // The gradient's probes in SIMD lanes (ARIMA.cssBatch gives exactly cssObjective's values).
            let batch: ([[Double]]) -> [Double] = { points in
                var mus: [Double] = [], phis: [[Double]] = [], thetas: [[Double]] = []
                for v in points {
                    let (phi, theta) = expand(v, o)
                    phis.append(phi); thetas.append(theta)
                    mus.append(muOf(v))
                }
                return w.withUnsafeBufferPointer { cssBatch($0, mus: mus, phis: phis, thetas: thetas, start: condition) }.map(cssValue)
            }
            let css = Optimizer.bfgs(start: x, relativeTolerance: 1.5e-8, forwardDifferences: true, batch: batch, cssObjective)
            if !css.hitLimit { x = css.x }
        }

        var coefficients = Array(x[0..<narma])
        var mu = muOf(x)
        var sigma2: Double, logLik: Double, aic: Double
        let npar = k + 1

        if method == .css {
            let (phi, theta) = expand(coefficients, o)
            let s2 = w.withUnsafeBufferPointer { wp in
                scratch.withUnsafeMutableBufferPointer { css(wp, mu: mu, phi: phi, theta: theta, start: condition, residuals: $0) }
            }
            guard s2.isFinite, s2 > 0 else { return nil }
            sigma2 = s2
            logLik = -0.5 * Double(nUsed) * (log(2 * Double.pi * s2) + 1)
            aic = Double(nUsed) * log(s2) + 2 * Double(npar)
        } else {
            guard var z = transform(coefficients, o) else { return nil }
            if hasMu { z.append(x[narma]) }
            func mlObjective(_ v: [Double]) -> Double {
                demean(muOf(v))
                let (phi, theta) = expand(untransform(Array(v[0..<narma]), o), o)
                return mlValue(u.withUnsafeBufferPointer { likelihood($0, phi: phi, theta: theta) })
            }
            // The gradient's probes in SIMD lanes (ARIMA.likelihoodBatch gives exactly mlObjective's values).
            let mlBatch: ([[Double]]) -> [Double] = { points in
                var mus: [Double] = [], phis: [[Double]] = [], thetas: [[Double]] = []
                for v in points {
                    let (phi, theta) = expand(untransform(Array(v[0..<narma]), o), o)
                    phis.append(phi); thetas.append(theta)
                    mus.append(muOf(v))
                }
                return w.withUnsafeBufferPointer { likelihoodBatch($0, mus: mus, phis: phis, thetas: thetas) }.map(mlValue)
            }
            let ml = k > 0 && given == nil
                ? Optimizer.bfgs(start: z, relativeTolerance: 1.5e-8, batch: mlBatch, mlObjective)
                : (x: z, value: mlObjective(z), hitLimit: false)
            guard ml.value < .greatestFiniteMagnitude, ml.value.isFinite else { return nil }
            coefficients = untransform(Array(ml.x[0..<narma]), o)
            mu = muOf(ml.x)
            let value = 2 * Double(nUsed) * ml.value + Double(nUsed) * (1 + log(2 * Double.pi))
            logLik = -0.5 * value
            aic = value + 2 * Double(npar)
            sigma2 = .nan
        }

        // The final pass: residuals, state and covariance at the end.
        demean(mu)
        let (phi, theta) = expand(coefficients, o)
        guard let f = u.withUnsafeBufferPointer({ up in
            scratch.withUnsafeMutableBufferPointer { filter(up, phi: phi, theta: theta, residuals: $0) }
        }) else { return nil }
        let denominator = Double(nUsed - npar + 1)
        let s2 = scratch.reduce(0) { $0 + $1 * $1 } / denominator
        if method == .cssML { sigma2 = s2 }
        let aicc = nUsed - npar - 1 != 0 ? aic + 2 * Double(npar * (npar + 1)) / Double(nUsed - npar - 1) : .infinity
        var model = ARIMAModel(
            order: o, constant: constant,
            ar: Array(coefficients[0..<o.p]), ma: Array(coefficients[o.p..<(o.p + o.q)]),
            sar: Array(coefficients[(o.p + o.q)..<(o.p + o.q + o.P)]),
            sma: Array(coefficients[(o.p + o.q + o.P)..<narma]),
            mu: mu, sigma2: method == .css ? sigma2 : s2, logLikelihood: logLik, aic: aic, aicc: aicc, method: method,
            phi: phi, theta: theta, state: f.state, stateCovariance: f.covariance, lags: [], count: y.count)
        // Invertible and stationary with a margin, or out of the running.
        if !rootsOutside(phi, radius: 1.01) || !rootsOutside(theta.map { -$0 }, radius: 1.01) {
            model.aicc = .infinity
            model.aic = .infinity
        }
        if !model.aicc.isFinite, model.aicc != .infinity { model.aicc = .infinity }
        model.lags = regressionFree(y, model: model).suffix(o.differencingLoss + 1).reversed()
        return model
    }

    /// A model whose coefficients are all fixed (no ARMA part): the special cases of a constant series
    /// or constant differences. σ² from the differenced residuals.
    static func fixed(_ y: [Double], order o: ARIMAOrder, constant: ARIMAModel.Constant, mu: Double) -> ARIMAModel {
        let w = difference(y, d: o.d, D: o.D, m: o.m)
        let e = w.map { $0 - mu }
        let s2 = w.isEmpty ? 0 : e.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        let ll = s2 > 0 ? -0.5 * Double(w.count) * (log(2 * Double.pi * s2) + 1) : 0
        var model = ARIMAModel(order: o, constant: constant, ar: [], ma: [], sar: [], sma: [], mu: mu, sigma2: s2,
                               logLikelihood: ll, aic: -2 * ll + 2, aicc: -2 * ll + 2, method: .cssML,
                               phi: [], theta: [], state: [0], stateCovariance: [0], lags: [], count: y.count)
        model.lags = regressionFree(y, model: model).suffix(o.differencingLoss + 1).reversed()
        return model
    }

    /// The series less its regression part (the drift line or the mean), which the state space models.
    static func regressionFree(_ y: [Double], model: ARIMAModel) -> [Double] {
        switch model.constant {
        case .none: return y
        case .mean: return y.map { $0 - model.mu }
        case .drift:
            let b = model.drift ?? 0
            return y.enumerated().map { $0.element - b * Double($0.offset + 1) }
        }
    }

    /// Point forecasts and standard errors 1…h: the state space with the differencing states run forward
    /// from the filtered state, as R's `predict.Arima`.
    public static func forecast(_ model: ARIMAModel, horizon h: Int) -> (point: [Double], standardErrors: [Double]) {
        let o = model.order
        let delta = differencingPolynomial(d: o.d, D: o.D, m: o.m)
        let r = model.state.count, nd = delta.count, rd = r + nd
        let p = model.phi.count
        // Full state: [ARMA state; x'_{n−1}, …, x'_{n−nd}] with x'_n reconstructed at the first step.
        var a = [Double](repeating: 0, count: rd)
        for i in 0..<r { a[i] = model.state[i] }
        // lags holds x'_n, x'_{n−1}, …: the differencing states before the last observation are x'_{n−1}…
        // and a[0] + Σ δ a[r+i] = x'_n by construction, so they are lags[1…nd].
        for i in 0..<nd { a[r + i] = i + 1 < model.lags.count ? model.lags[i + 1] : 0 }
        var pm = [Double](repeating: 0, count: rd * rd)
        for i in 0..<r { for j in 0..<r { pm[i * rd + j] = model.stateCovariance[i * r + j] } }
        var vv = [Double](repeating: 0, count: rd)
        vv[0] = 1
        for i in 0..<model.theta.count where i + 1 < r { vv[i + 1] = model.theta[i] }
        // T as a dense matrix.
        var t = [Double](repeating: 0, count: rd * rd)
        for i in 0..<r {
            if i < p { t[i * rd] = model.phi[i] }
            if i + 1 < r { t[i * rd + i + 1] = 1 }
        }
        if nd > 0 {
            t[r * rd] = 1
            for k in 0..<nd { t[r * rd + r + k] = delta[k] }
            for k in 1..<max(nd, 1) where k < nd { t[(r + k) * rd + r + k - 1] = 1 }
        }
        var z = [Double](repeating: 0, count: rd)
        z[0] = 1
        for k in 0..<nd { z[r + k] = delta[k] }
        var point: [Double] = [], se: [Double] = []
        var tmp = [Double](repeating: 0, count: rd * rd)
        for step in 1...max(h, 1) {
            var next = [Double](repeating: 0, count: rd)
            for i in 0..<rd { var s = 0.0; for j in 0..<rd { s += t[i * rd + j] * a[j] }; next[i] = s }
            a = next
            for i in 0..<rd { for j in 0..<rd { var s = 0.0; for k in 0..<rd { s += t[i * rd + k] * pm[k * rd + j] }; tmp[i * rd + j] = s } }
            for i in 0..<rd { for j in 0..<rd { var s = 0.0; for k in 0..<rd { s += tmp[i * rd + k] * t[j * rd + k] }; pm[i * rd + j] = s + vv[i] * vv[j] } }
            var f = 0.0, v = 0.0
            for i in 0..<rd { f += z[i] * a[i]; for j in 0..<rd { v += z[i] * pm[i * rd + j] * z[j] } }
            switch model.constant {
            case .none: break
            case .mean: f += model.mu
            case .drift: f += (model.drift ?? 0) * Double(model.count + step)
            }
            point.append(f)
            se.append((max(v, 0) * model.sigma2).squareRoot())
        }
        return (Array(point.prefix(h)), Array(se.prefix(h)))
    }
}
