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
