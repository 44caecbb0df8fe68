import Foundation

extension ARIMA {
    /// `likelihood` for up to eight coefficient sets of one order at once, one per SIMD lane (the
    /// central-difference probes of one gradient), each on the differenced series `w` less its own mean.
    /// Every lane performs exactly `likelihood`'s operations in its order, including where it reaches its
    /// steady state, so the values are the same; nil where `likelihood` gives nil.
    static func likelihoodBatch(_ w: UnsafeBufferPointer<Double>, mus: [Double], phis: [[Double]],
                                thetas: [[Double]]) -> [(ssq: Double, sumLog: Double)?] {
        typealias V = SIMD8<Double>
        typealias Mask = SIMDMask<SIMD8<Int64>>
        let lanes = mus.count, n = w.count
        guard lanes > 0 else { return [] }
        let p = phis[0].count, r = max(p, thetas[0].count + 1)
        var out: [(ssq: Double, sumLog: Double)?] = []
        out.reserveCapacity(lanes)
        let buffer = UnsafeMutablePointer<V>.allocate(capacity: 5 * r)
        defer { buffer.deallocate() }
        let a = buffer, k = buffer + r, wv = buffer + 2 * r, tw = buffer + 3 * r, ph = buffer + 4 * r
        var first = 0
        while first < lanes {
            let count = min(8, lanes - first)
            var f = V(repeating: 1), m = V(repeating: 0), mu = V(repeating: 0)
            var failed = Mask(repeating: false), steady = Mask(repeating: false)
            for i in 0..<r { a[i] = V(repeating: 0); k[i] = V(repeating: 0); wv[i] = V(repeating: 0); ph[i] = V(repeating: 0) }
            for lane in 0..<8 {
                guard lane < count, let p0 = initialCovariance(phi: phis[first + lane], theta: thetas[first + lane]),
                      p0[0] > 0, p0[0].isFinite else { failed[lane] = true; steady[lane] = true; continue }
                let phi = phis[first + lane]
                for i in 0..<r { ph[i][lane] = i < p ? phi[i] : 0 }
                f[lane] = p0[0]
                for i in 0..<r {
                    k[i][lane] = (ph[i][lane] * p0[0] + (i + 1 < r ? p0[(i + 1) * r] : 0)) / p0[0]
                    wv[i][lane] = k[i][lane]
                }
                m[lane] = -p0[0]
                mu[lane] = mus[first + lane]
            }
            var ssq = V(repeating: 0), product = V(repeating: 1)
            var exponents = SIMD8<UInt64>(repeating: 0)
            var steadyLog = V(repeating: 0)
            var allSteady = false
            for l in 0..<n {
                let resid = (V(repeating: w[l]) - mu) - a[0]
                ssq += resid * resid / f
                if !allSteady {
                    // ETS.renormalise where the lane is not yet steady.
                    let (significand, exponent) = ETS.renormalised(product * f)
                    product = significand.replacing(with: product, where: steady)
                    exponents &+= exponent.replacing(with: 0, where: steady)
                }
                let a0 = a[0]
                for i in 0..<(r - 1) { a[i] = a[i + 1] + ph[i] * a0 + k[i] * resid }
                a[r - 1] = ph[r - 1] * a0 + k[r - 1] * resid
                if l == n - 1 || allSteady { continue }
                let w0 = wv[0]
                var wMax = V(repeating: 0)
                for i in 0..<r {
                    let x = wv[i]
                    let ax = ETS.magnitude(x)
                    wMax = wMax.replacing(with: ax, where: ax .>= wMax)   // Swift's max(wMax, ax)
                }
                let mAbs = ETS.magnitude(m)
                let becoming = .!steady .& (mAbs * wMax * wMax .<= V(repeating: 1e-15) * f)
                if any(becoming) {
                    for lane in 0..<8 where becoming[lane] { steadyLog[lane] = Double(n - (l + 1)) * log(f[lane]) }
                    steady .|= becoming
                    allSteady = all(steady)
                    if allSteady { continue }
                }
                let active = .!steady
                let fNew = f + m * w0 * w0
                failed .|= active .& .!((fNew .> V(repeating: 0)) .& (fNew .< V(repeating: .infinity)))
                for i in 0..<(r - 1) { tw[i] = wv[i + 1] + ph[i] * w0 }
                tw[r - 1] = ph[r - 1] * w0
                let c = m * w0
                for i in 0..<r { k[i] = ((k[i] * f + tw[i] * c) / fNew).replacing(with: k[i], where: steady) }
                m = (m + m * m * w0 * w0 / f).replacing(with: m, where: steady)
                for i in 0..<r { wv[i] = (tw[i] - k[i] * w0).replacing(with: wv[i], where: steady) }
                f = fNew.replacing(with: f, where: steady)
            }
            for lane in 0..<count {
                if failed[lane] { out.append(nil); continue }
                let s = ssq[lane]
                let sumLog = steadyLog[lane] + ETS.logarithm(product[lane], Int(Int64(bitPattern: exponents[lane])))
                out.append(s.isFinite && sumLog.isFinite ? (s, sumLog) : nil)
            }
            first += count
        }
        return out
    }
}
