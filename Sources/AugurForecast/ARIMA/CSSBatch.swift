extension ARIMA {
    /// `css` for up to eight coefficient sets at once, one per SIMD lane (the finite-difference probes of
    /// one gradient, which share the orders): the conditional sum of squares is a chain of dependent
    /// steps through the MA residuals, so one lane leaves the CPU waiting and eight fill it. Every lane
    /// performs exactly `css`'s operations in its order, so the values are the same.
    static func cssBatch(_ w: UnsafeBufferPointer<Double>, mus: [Double], phis: [[Double]], thetas: [[Double]],
                         start: Int) -> [Double] {
        typealias V = SIMD8<Double>
        let n = w.count, lanes = mus.count
        guard start < n else { return [Double](repeating: .infinity, count: lanes) }
        let p = phis.first?.count ?? 0, q = thetas.first?.count ?? 0
        var out: [Double] = []
        out.reserveCapacity(lanes)
        let residuals = UnsafeMutablePointer<V>.allocate(capacity: n)
        let ph = UnsafeMutablePointer<V>.allocate(capacity: max(p, 1))
        let th = UnsafeMutablePointer<V>.allocate(capacity: max(q, 1))
        defer { residuals.deallocate(); ph.deallocate(); th.deallocate() }
        var first = 0
        while first < lanes {
            let count = min(8, lanes - first)
            var shift = V(repeating: 0)
            for j in 0..<p { ph[j] = V(repeating: 0) }
            for j in 0..<q { th[j] = V(repeating: 0) }
            for lane in 0..<count {
                let phi = phis[first + lane], theta = thetas[first + lane]
                shift[lane] = mus[first + lane] * (1 - phi.reduce(0, +))
                for j in 0..<p { ph[j][lane] = phi[j] }
                for j in 0..<q { th[j][lane] = theta[j] }
            }
            var ssq = V(repeating: 0)
            for l in 0..<start { residuals[l] = V(repeating: 0) }
            for l in start..<n {
                var t0 = V(repeating: w[l]) - shift, t1 = V(repeating: 0)
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
            let d = Double(n - start)
            for lane in 0..<count { out.append(ssq[lane] / d) }
            first += count
        }
        return out
    }
}
