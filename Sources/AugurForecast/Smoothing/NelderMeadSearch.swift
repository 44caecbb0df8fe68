/// Adaptive Nelder–Mead with box bounds (Gao & Han 2012 coefficients), as statsforecast's ETS optimiser:
/// initial steps of 5%, stop when the simplex values' spread (standard deviation) is below 1e-4 or after
/// 1,000 iterations.
///
/// It is written as an ask/tell state machine, so that many searches can run in lockstep and have their
/// objectives evaluated together (AutoETS evaluates every form at every backtest origin in one
/// vectorised pass): `ask()` gives the point whose value the search needs next, `tell(_:)` gives it.
/// The sequence of points is exactly that of the textbook loop (`minimize`).
struct NelderMeadSearch {
    let n: Int
    let lower: [Double], upper: [Double]
    /// The n + 1 vertices, vertex k at k·n ..< (k+1)·n.
    private var simplex: [Double]
    /// Each vertex divided by n, kept up to date as vertices change: the centroid is their sum.
    private var scaled: [Double]
    private(set) var values: [Double]
    private let alpha = 1.0, gamma: Double, rho: Double, sigma: Double
    private var centroid: [Double], reflected: [Double], trial: [Double]
    /// The vertex being evaluated (initial and shrink phases).
    private var point: [Double]
    private var best = 0, worst = 0, second = 0
    private var fr = 0.0
    private var iteration = 0
    private enum Phase { case initial(Int), reflect, expand, outside, inside, shrink(Int), done }
    private var phase: Phase

    init(start: [Double], lower: [Double], upper: [Double]) {
        n = start.count
        self.lower = lower
        self.upper = upper
        gamma = 1 + 2 / Double(n); rho = 0.75 - 1 / (2 * Double(n)); sigma = 1 - 1 / Double(n)
        var first = start
        Self.clamp(&first, lower, upper)
        simplex = first
        for i in 0..<n {
            var v = first
            v[i] = v[i] == 0 ? 1e-4 : v[i] * 1.05
            Self.clamp(&v, lower, upper)
            simplex += v
        }
        point = first
        let dn = Double(n)
        scaled = simplex.map { $0 / dn }
        values = [Double](repeating: .infinity, count: n + 1)
        centroid = [Double](repeating: 0, count: n)
        reflected = centroid
        trial = centroid
        phase = .initial(0)
    }

    static func clamp(_ x: inout [Double], _ lower: [Double], _ upper: [Double]) {
        for i in 0..<x.count { x[i] = min(max(x[i], lower[i]), upper[i]) }
    }

    var isDone: Bool { if case .done = phase { return true }; return false }

    /// The point of the lowest value found.
    var result: [Double] { vertex(values.indices.min { values[$0] < values[$1] }!) }

    private func vertex(_ k: Int) -> [Double] { Array(simplex[(k * n)..<((k + 1) * n)]) }

    /// The point to evaluate next; nil when the search has finished.
    func ask() -> [Double]? {
        switch phase {
        case .initial, .shrink: return point
        case .reflect: return reflected
        case .expand, .outside, .inside: return trial
        case .done: return nil
        }
    }

    /// The value of the point `ask()` gave.
    mutating func tell(_ value: Double) {
        switch phase {
        case .initial(let k):
            values[k] = value
            if k < n { loadPoint(k + 1); phase = .initial(k + 1) } else { beginIteration() }
        case .reflect:
            fr = value
            if values[best] <= fr, fr < values[second] { acceptReflected(fr); beginIteration(); return }
            if fr < values[best] { towardsReflected(gamma); phase = .expand; return }
            if values[second] <= fr, fr < values[worst] { towardsReflected(rho); phase = .outside }
            else { towardsReflected(-rho); phase = .inside }
        case .expand:
            if value < fr { acceptTrial(value) } else { acceptReflected(fr) }
            beginIteration()
        case .outside:
            if value <= fr { acceptTrial(value); beginIteration() } else { beginShrink() }
        case .inside:
            if value < values[worst] { acceptTrial(value); beginIteration() } else { beginShrink() }
        case .shrink(let k):
            values[k] = value
            var next = k + 1
            if next == best { next += 1 }
            if next <= n { shrinkPoint(next); phase = .shrink(next) } else { beginIteration() }
        case .done:
            break
        }
    }

    private mutating func loadPoint(_ k: Int) {
        for j in 0..<n { point[j] = simplex[k * n + j] }
    }

    private mutating func acceptReflected(_ value: Double) {
        for j in 0..<n { simplex[worst * n + j] = reflected[j]; scaled[worst * n + j] = reflected[j] / Double(n) }
        values[worst] = value
    }

    private mutating func acceptTrial(_ value: Double) {
        for j in 0..<n { simplex[worst * n + j] = trial[j]; scaled[worst * n + j] = trial[j] / Double(n) }
        values[worst] = value
    }

    /// trial = centroid + t (reflected − centroid), clamped.
    private mutating func towardsReflected(_ t: Double) {
        for j in 0..<n { trial[j] = centroid[j] + t * (reflected[j] - centroid[j]) }
        Self.clamp(&trial, lower, upper)
    }

    private mutating func beginIteration() {
        guard iteration < 1_000 else { phase = .done; return }
        iteration += 1
        // Best (the first lowest), worst (the last highest) and second worst (the last highest of the
        // others) in one pass, as a stable sort would rank them: a new worst demotes the old one to
        // second. Values are finite or +∞ (the objective never gives NaN or −∞).
        let converged: Bool = values.withUnsafeBufferPointer { v in
            var b = 0, w = 0, s = -1
            var bv = v[0], wv = v[0], sv = -Double.infinity
            for k in 1...n {
                let x = v[k]
                if x < bv { b = k; bv = x }
                if x >= wv { s = w; sv = wv; w = k; wv = x } else if x >= sv { s = k; sv = x }
            }
            best = b; worst = w; second = s
            guard wv.isFinite else { return false }
            // The standard deviation of n + 1 values spanning R is at least R / √(2(n + 1)): far from
            // the tolerance, the exact test below cannot pass (the margin of 2 dwarfs any rounding).
            let range = wv - bv
            if range * range > 4 * 2 * Double(n + 1) * 1e-8 { return false }
            var mean = 0.0
            for k in 0...n { mean += v[k] }
            mean /= Double(n + 1)
            var spread = 0.0
            for k in 0...n { spread += (v[k] - mean) * (v[k] - mean) }
            return (spread / Double(n + 1)).squareRoot() < 1e-4
        }
        if converged { phase = .done; return }
        // Vertex by vertex into all coordinates at once: each coordinate's sum takes the vertices in
        // order, as a sum per coordinate would, but the coordinates are independent and contiguous, so
        // the adds go in vector lanes instead of one dependent chain per coordinate.
        let d = n, skip = worst
        scaled.withUnsafeBufferPointer { v in
            centroid.withUnsafeMutableBufferPointer { c in
                for j in 0..<d { c[j] = 0 }
                for k in 0...d where k != skip {
                    let row = v.baseAddress! + k * d
                    for j in 0..<d { c[j] += row[j] }
                }
            }
        }
        for j in 0..<n { reflected[j] = centroid[j] + -alpha * (simplex[worst * n + j] - centroid[j]) }
        Self.clamp(&reflected, lower, upper)
        phase = .reflect
    }

    private mutating func beginShrink() {
        let first = best == 0 ? 1 : 0
        shrinkPoint(first)
        phase = .shrink(first)
    }

    private mutating func shrinkPoint(_ k: Int) {
        for j in 0..<n {
            let b = simplex[best * n + j]
            simplex[k * n + j] = min(max(b + sigma * (simplex[k * n + j] - b), lower[j]), upper[j])
            scaled[k * n + j] = simplex[k * n + j] / Double(n)
        }
        loadPoint(k)
    }

    /// Runs the search on `f` to the end.
    static func minimize(_ f: ([Double]) -> Double, start: [Double], lower: [Double], upper: [Double]) -> [Double] {
        var search = NelderMeadSearch(start: start, lower: lower, upper: upper)
        while let x = search.ask() { search.tell(f(x)) }
        return search.result
    }
}
