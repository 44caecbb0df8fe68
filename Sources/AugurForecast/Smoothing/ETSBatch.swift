import Foundation

/// AutoETS at many backtest origins at once: every (origin, form) Nelder–Mead search runs in lockstep,
/// and each round their likelihoods are evaluated eight at a time in SIMD lanes, one lane per search.
/// A single recursion is a chain of dependent operations that leaves the CPU mostly waiting; eight
/// independent ones in vector lanes fill it. Each lane performs exactly the operations of
/// `ETS.recurse`, in the same order, so every search sees the same values and ends where it would alone.
extension ETS {
    typealias Vector = SIMD8<Double>
    static let laneWidth = 8

    /// One likelihood to evaluate: a form's parameters and initial states over the first `count` values.
    struct Lane {
        var form: ETSForm
        var p: Parameters
        var count: Int
        /// Where its initial states are in the shared states buffer.
        var offset: Int
        /// Which search asked.
        var search: Int
    }

    @inline(__always) static func magnitude(_ x: Vector) -> Vector { x.replacing(with: -x, where: x .< 0) }

    /// `renormalise` in every lane: the significands in [1, 2) and the binary exponents moved out.
    @inline(__always) static func renormalised(_ x: Vector) -> (significand: Vector, exponent: SIMD8<UInt64>) {
        let bits = unsafeBitCast(x, to: SIMD8<UInt64>.self)
        return (unsafeBitCast((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000, to: Vector.self),
                ((bits &>> 52) & 0x7FF) &- 1023)
    }

    /// The likelihood term of each lane (+∞ where the recursion breaks down), into `out[lane.search]`.
    /// `m` is the season length of the seasonal lanes (the non-seasonal ones ignore the ring).
    static func likelihoods(_ y: UnsafeBufferPointer<Double>, m: Int, lanes: ArraySlice<Lane>,
                            states: UnsafeBufferPointer<Double>, out: UnsafeMutableBufferPointer<Double>) {
        let ring = UnsafeMutablePointer<Vector>.allocate(capacity: max(m, 1))
        defer { ring.deallocate() }
        var start = lanes.startIndex
        while start < lanes.endIndex {
            let chunk = lanes[start..<min(start + laneWidth, lanes.endIndex)]
            start += laneWidth
            var level = Vector(repeating: 0), slope = Vector(repeating: 0)
            var alpha = Vector(repeating: 0.5), betaOverAlpha = Vector(repeating: 0), gamma = Vector(repeating: 0)
            var phi = Vector(repeating: 1), counts = Vector(repeating: 0)
            var multiplicativeError = SIMDMask<SIMD8<Int64>>(repeating: false)
            var trended = multiplicativeError, additiveSeason = multiplicativeError, multiplicativeSeason = multiplicativeError
            for k in 0..<max(m, 1) { ring[k] = Vector(repeating: 0) }
            var minCount = Int.max, maxCount = 0
            for (j, lane) in chunk.enumerated() {
                let x = states.baseAddress! + lane.offset
                let isTrended = lane.form.trend != .none
                level[j] = x[0]
                slope[j] = isTrended ? x[1] : 0
                alpha[j] = lane.p.alpha
                betaOverAlpha[j] = lane.p.beta / lane.p.alpha
                gamma[j] = lane.p.gamma
                phi[j] = lane.form.trend == .damped ? lane.p.phi : 1
                counts[j] = Double(lane.count)
                multiplicativeError[j] = lane.form.error == .multiplicative
                trended[j] = isTrended
                additiveSeason[j] = lane.form.season == .additive
                multiplicativeSeason[j] = lane.form.season == .multiplicative
                if lane.form.season != .none {
                    // As State.init: newest at slot 0, the oldest (the current period's) at slot 1 mod m.
                    for k in 0..<m { ring[(m - k) % m][j] = x[(isTrended ? 2 : 1) + k] }
                }
                minCount = min(minCount, lane.count)
                maxCount = max(maxCount, lane.count)
            }
            let seasonal = additiveSeason .| multiplicativeSeason
            // What the chunk holds: the divisions only multiplicative parts need are skipped without them.
            let anyMultiplicativeError = any(multiplicativeError), anyMultiplicativeSeason = any(multiplicativeSeason)
            var sse = Vector(repeating: 0), product = Vector(repeating: 1)
            var exponents = SIMD8<UInt64>(repeating: 0)
            var failed = SIMDMask<SIMD8<Int64>>(repeating: false)
            var current = 1 % max(m, 1)
            let tiny = Vector(repeating: 1e-10), big = Vector(repeating: 1e10), floor = Vector(repeating: 1e-8)
            let one = Vector(repeating: 1)
            // One step for every lane; past the shortest lane's end, `masked` freezes the lanes that have
            // ended. A non-finite forecast needs no test of its own: it makes the sum of squares non-finite.
            for i in 0..<maxCount {
                let masked = i >= minCount
                let active = masked ? Vector(repeating: Double(i)) .< counts : SIMDMask<SIMD8<Int64>>(repeating: true)
                let yi = Vector(repeating: y[i])
                let q = level.replacing(with: level + phi * slope, where: trended)
                let s = ring[current]
                let f = q.replacing(with: q + s, where: additiveSeason).replacing(with: q * s, where: multiplicativeSeason)
                let absF = magnitude(f)
                var e = yi - f
                if anyMultiplicativeError {
                    failed .|= active .& multiplicativeError .& .!(absF .> tiny)
                    e = e.replacing(with: (yi - f) / f, where: multiplicativeError)
                }
                sse = masked ? sse.replacing(with: sse + e * e, where: active) : sse + e * e
                // ETS.renormalise in every lane (lanes without a factor multiply by 1 and add exponent 0).
                if anyMultiplicativeError {
                    let factor = one.replacing(with: absF.replacing(with: floor, where: absF .< floor),
                                               where: multiplicativeError .& active)
                    let (significand, exponent) = renormalised(product * factor)
                    exponents &+= exponent
                    product = significand
                }
                // The update (State.update).
                var deseasoned = yi.replacing(with: yi - s, where: additiveSeason)
                if anyMultiplicativeSeason {
                    deseasoned = deseasoned.replacing(with: (yi / s).replacing(with: big, where: magnitude(s) .< tiny),
                                                      where: multiplicativeSeason)
                }
                let oldL = level
                let newLevel = q + alpha * (deseasoned - q)
                let newSlope = phi * slope + betaOverAlpha * ((newLevel - oldL) - phi * slope)
                slope = slope.replacing(with: newSlope, where: masked ? trended .& active : trended)
                level = masked ? level.replacing(with: newLevel, where: active) : newLevel
                if m > 1 {
                    var t = yi - q
                    if anyMultiplicativeSeason {
                        t = t.replacing(with: (yi / q).replacing(with: big, where: magnitude(q) .< tiny), where: multiplicativeSeason)
                    }
                    ring[current] = s.replacing(with: s + gamma * (t - s), where: masked ? seasonal .& active : seasonal)
                    current += 1
                    if current == m { current = 0 }
                }
            }
            for (j, lane) in chunk.enumerated() {
                guard !failed[j] else { out[lane.search] = .infinity; continue }
                let logSum = logarithm(product[j], Int(Int64(bitPattern: exponents[j])))
                let s = sse[j]
                var lik = Double(lane.count) * log(s > 0 ? s : s + 1e-8)
                if lane.form.error == .multiplicative { lik += 2 * logSum }
                out[lane.search] = lik.isFinite ? lik : .infinity
            }
        }
    }

    /// `auto` at every prefix `y[0..<count]` of one series, the searches of all prefixes and forms in
    /// lockstep; element k is what `auto(Array(y.prefix(counts[k])), m:)` returns.
    static func auto(prefixesOf y: [Double], counts: [Int], m: Int) -> [ETSModel?] {
        struct Search {
            var origin: Int
            var estimation: Estimation
            var search: NelderMeadSearch
        }
        var models = [ETSModel?](repeating: nil, count: counts.count)
        var searches: [Search] = []
        var prefixes: [[Double]] = []
        for (k, count) in counts.enumerated() {
            let prefix = Array(y.prefix(count))
            prefixes.append(prefix)
            if let first = prefix.first, prefix.allSatisfy({ $0 == first }) {
                models[k] = auto(prefix, m: m)   // the constant case: one fixed fit
                continue
            }
            let seasonal = m > 1 && m <= 24 && prefix.count > m
            let positive = prefix.allSatisfy { $0 > 0 }
            for form in ETSForm.candidates(seasonal: seasonal, positive: positive) {
                guard let e = Estimation(prefix, form: form, m: m, fixedAlpha: nil) else { continue }
                searches.append(Search(origin: k, estimation: e, search: NelderMeadSearch(start: e.start, lower: e.lo, upper: e.hi)))
            }
        }
        // By length; the forms of one origin keep their order (it breaks AICc ties as `auto` does).
        searches = searches.enumerated().sorted { (counts[$0.element.origin], $0.offset) < (counts[$1.element.origin], $1.offset) }
            .map(\.element)
        let slot = (searches.map(\.estimation.stateCount).max() ?? 0) + 1
        let states = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(searches.count * slot, 1))
        let values = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(searches.count, 1))
        defer { states.deallocate(); values.deallocate() }
        // Lanes go to the kernel grouped by kind (error, season) and then by length, so that a chunk of
        // eight is mostly of one kind (skipping divisions it does not need) and of one length.
        func kind(_ f: ETSForm) -> Int { (f.error == .multiplicative ? 3 : 0) + (f.season == .none ? 0 : f.season == .additive ? 1 : 2) }
        let laneOrder = searches.indices.sorted {
            (kind(searches[$0].estimation.form), counts[searches[$0].origin], $0)
                < (kind(searches[$1].estimation.form), counts[searches[$1].origin], $1)
        }
        var lanes: [Lane] = []
        lanes.reserveCapacity(searches.count)
        y.withUnsafeBufferPointer { yp in
            while true {
                lanes.removeAll(keepingCapacity: true)
                for j in laneOrder {
                    // Points outside the admissible region cost nothing: told +∞ at once.
                    while let v = searches[j].search.ask() {
                        let slice = UnsafeMutableBufferPointer(rebasing: states[(j * slot)..<((j + 1) * slot)])
                        if let p = searches[j].estimation.evaluable(v, states: slice) {
                            lanes.append(Lane(form: searches[j].estimation.form, p: p, count: counts[searches[j].origin],
                                              offset: j * slot, search: j))
                            break
                        }
                        searches[j].search.tell(.infinity)
                    }
                }
                if lanes.isEmpty { break }
                // The searches are in order of length, so lanes of equal length sit side by side and few
                // run past the others' end.
                let ringLength = lanes.contains { $0.form.season != .none } ? m : 1
                likelihoods(yp, m: ringLength, lanes: lanes[...], states: UnsafeBufferPointer(states), out: values)
                for lane in lanes { searches[lane.search].search.tell(values[lane.search]) }
            }
        }
        for s in searches {
            guard let model = s.estimation.finish(prefixes[s.origin], best: s.search.result), model.aicc.isFinite else { continue }
            if models[s.origin] == nil || model.aicc < models[s.origin]!.aicc { models[s.origin] = model }
        }
        return models
    }
}
