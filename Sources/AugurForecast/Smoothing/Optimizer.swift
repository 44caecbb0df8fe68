/// Small derivative-free minimisers for fitting smoothing parameters: a handful of bounded parameters
/// and a cheap objective (the one-step SSE), where robustness matters more than speed.
public enum Optimizer {
    /// Golden-section search for the minimum of a unimodal `f` on `bounds`, to within `tolerance` in x.
    public static func goldenSection(in bounds: ClosedRange<Double>, tolerance: Double = 1e-8,
                                     _ f: (Double) -> Double) -> (x: Double, value: Double) {
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = bounds.lowerBound, b = bounds.upperBound
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = f(c), fd = f(d)
        while b - a > tolerance {
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a); fc = f(c)
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a); fd = f(d)
            }
        }
        // The bounds themselves are candidates too: golden section never evaluates them, and smoothing
        // objectives often have their minimum on the boundary (α → 1 for a random walk).
        let candidates = [(c, fc), (d, fd), (bounds.lowerBound, f(bounds.lowerBound)), (bounds.upperBound, f(bounds.upperBound))]
        let best = candidates.min { $0.1 < $1.1 } ?? (c, fc)
        return (best.0, best.1)
    }

    /// Nelder–Mead simplex minimisation inside the box `lower`…`upper` (every trial point is clamped into
    /// it), starting from `start` with initial steps of `step` times each parameter's range.
    /// Stops when the simplex's values differ by less than `tolerance` or after `maxEvaluations`.
    public static func nelderMead(start: [Double], lower: [Double], upper: [Double], step: Double = 0.1,
                                  tolerance: Double = 1e-10, maxEvaluations: Int = 2000,
                                  _ f: ([Double]) -> Double) -> (x: [Double], value: Double) {
        let n = start.count
        func clamp(_ x: [Double]) -> [Double] { (0..<n).map { min(max(x[$0], lower[$0]), upper[$0]) } }
        var simplex = [clamp(start)]
        for i in 0..<n {
            var v = simplex[0]
            let delta = step * (upper[i] - lower[i])
            v[i] = v[i] + delta <= upper[i] ? v[i] + delta : v[i] - delta
            simplex.append(clamp(v))
        }
        var values = simplex.map(f)
        var evaluations = n + 1
        // Standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½.
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
            let centroid = (0..<n).map { j in simplex[0..<n].reduce(0) { $0 + $1[j] } / Double(n) }
            func along(_ t: Double) -> [Double] { clamp((0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) }) }
            let reflected = along(-1), fr = f(reflected)
            evaluations += 1
            if fr < values[0] {
                let expanded = along(-2), fe = f(expanded)
                evaluations += 1
                (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr)
            } else if fr < values[n - 1] {
                (simplex[n], values[n]) = (reflected, fr)
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fk = f(contracted)
                evaluations += 1
                if fk < min(fr, values[n]) {
                    (simplex[n], values[n]) = (contracted, fk)
                } else {
                    for i in 1...n {
                        simplex[i] = clamp((0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) })
                        values[i] = f(simplex[i])
                    }
                    evaluations += n
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        return (simplex[best], values[best])
    }
}

extension Optimizer {
    /// Quasi-Newton minimisation (BFGS with finite-difference gradients, central unless `forwardDifferences`,
    /// and a backtracking Armijo line search, steps shrunk by 0.2 as R's `optim`). `batch`, when given,
    /// evaluates a gradient's probes together and must return exactly `f`'s values. Stops when the gradient's largest component is below
    /// `gradientTolerance`, when an iteration improves f by less than `relativeTolerance` · (|f| + 1), when
    /// the line search finds no decrease, or after `maxIterations` (then `hitLimit` is true).
    public static func bfgs(start: [Double], maxIterations: Int = 100, gradientTolerance: Double = 1e-8,
                            relativeTolerance: Double = 1e-10, forwardDifferences: Bool = false,
                            batch: (([[Double]]) -> [Double])? = nil,
                            _ f: ([Double]) -> Double) -> (x: [Double], value: Double, hitLimit: Bool) {
        let n = start.count
        var x = start, fx = f(x)
        guard n > 0, fx.isFinite else { return (x, fx, false) }
        /// Forward (f(x + h e_i) − f(x)) / h or central (f(x + h e_i) − f(x − h e_i)) / 2h differences,
        /// the probes evaluated in order, or together by `batch`.
        func gradient(_ x: [Double], _ fx: Double) -> [Double] {
            var points: [[Double]] = [], steps: [Double] = []
            var probe = x
            for i in 0..<n {
                let h = (forwardDifferences ? 1.5e-8 : 6e-6) * max(abs(x[i]), 1)
                probe[i] = x[i] + h; points.append(probe)
                if !forwardDifferences { probe[i] = x[i] - h; points.append(probe) }
                probe[i] = x[i]
                steps.append(h)
            }
            let values = batch?(points) ?? points.map(f)
            return (0..<n).map { i in
                if forwardDifferences { return values[i].isFinite ? (values[i] - fx) / steps[i] : 0 }
                let up = values[2 * i], down = values[2 * i + 1]
                return up.isFinite && down.isFinite ? (up - down) / (2 * steps[i]) : 0
            }
        }
        var g = gradient(x, fx)
        var hInv = [Double](repeating: 0, count: n * n)
        for i in 0..<n { hInv[i * n + i] = 1 }
        var first = true
        for _ in 0..<maxIterations {
            if g.allSatisfy({ abs($0) < gradientTolerance }) { return (x, fx, false) }
            var d = [Double](repeating: 0, count: n)
            for i in 0..<n { var s = 0.0; for j in 0..<n { s -= hInv[i * n + j] * g[j] }; d[i] = s }
            var slope = zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }
            if slope >= 0 {
                for i in 0..<n { for j in 0..<n { hInv[i * n + j] = i == j ? 1 : 0 } }
                d = g.map { -$0 }
                slope = -g.reduce(0) { $0 + $1 * $1 }
            }
            var t = 1.0, accepted = false
            var xn = x, fn = fx
            for _ in 0..<30 {
                for i in 0..<n { xn[i] = x[i] + t * d[i] }
                fn = f(xn)
                if fn.isFinite, fn <= fx + 1e-4 * t * slope { accepted = true; break }
                t *= 0.2
            }
            guard accepted else { return (x, fx, false) }
            let gn = gradient(xn, fn)
            let improvement = fx - fn
            let s = (0..<n).map { xn[$0] - x[$0] }, yv = (0..<n).map { gn[$0] - g[$0] }
            x = xn; fx = fn; g = gn
            if improvement <= relativeTolerance * (abs(fx) + 1) { return (x, fx, false) }
            let sy = zip(s, yv).reduce(0) { $0 + $1.0 * $1.1 }
            guard sy > 1e-12 else { continue }
            if first {
                let yy = yv.reduce(0) { $0 + $1 * $1 }
                for i in 0..<n { hInv[i * n + i] = sy / yy }
                first = false
            }
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
            let rho = 1 / sy
            var hy = [Double](repeating: 0, count: n)
            for i in 0..<n { var v = 0.0; for j in 0..<n { v += hInv[i * n + j] * yv[j] }; hy[i] = v }
            let yhy = zip(yv, hy).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<n {
                for j in 0..<n {
                    hInv[i * n + j] += (1 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j])
                }
            }
        }
        return (x, fx, true)
    }
}
