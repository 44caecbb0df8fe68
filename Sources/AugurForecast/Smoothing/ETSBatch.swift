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
        // The chunk's lanes are laid out as plain numbers and loaded as vectors once (inserting lane by
        // lane into vectors goes through memory for every element).
        let fields = 7
        let scalars = UnsafeMutablePointer<Double>.allocate(capacity: fields * laneWidth)
        let flags = UnsafeMutablePointer<Int64>.allocate(capacity: 4 * laneWidth)
        defer { scalars.deallocate(); flags.deallocate() }
        let ringLanes = UnsafeMutableRawPointer(ring).bindMemory(to: Double.self, capacity: max(m, 1) * laneWidth)
        defer { UnsafeMutableRawPointer(ring).bindMemory(to: Vector.self, capacity: max(m, 1)) }
        func vector(_ field: Int) -> Vector { UnsafeRawPointer(scalars + field * laneWidth).loadUnaligned(as: Vector.self) }
        func mask(_ field: Int) -> SIMDMask<SIMD8<Int64>> {
            UnsafeRawPointer(flags + field * laneWidth).loadUnaligned(as: SIMD8<Int64>.self) .!= 0
        }
        var start = lanes.startIndex
        while start < lanes.endIndex {
            let chunk = lanes[start..<min(start + laneWidth, lanes.endIndex)]
            start += laneWidth
            // Unused lanes: level 0, slope 0, α 0.5, β/α 0, γ 0, φ 1, count 0, every flag off.
            for j in 0..<laneWidth {
                scalars[j] = 0; scalars[laneWidth + j] = 0; scalars[2 * laneWidth + j] = 0.5
                scalars[3 * laneWidth + j] = 0; scalars[4 * laneWidth + j] = 0; scalars[5 * laneWidth + j] = 1
                scalars[6 * laneWidth + j] = 0
            }
            flags.initialize(repeating: 0, count: 4 * laneWidth)
            ringLanes.initialize(repeating: 0, count: max(m, 1) * laneWidth)
            var minCount = Int.max, maxCount = 0
            for (j, lane) in chunk.enumerated() {
                let x = states.baseAddress! + lane.offset
                let isTrended = lane.form.trend != .none
                scalars[j] = x[0]
                scalars[laneWidth + j] = isTrended ? x[1] : 0
                scalars[2 * laneWidth + j] = lane.p.alpha
                scalars[3 * laneWidth + j] = lane.p.beta / lane.p.alpha
                scalars[4 * laneWidth + j] = lane.p.gamma
                scalars[5 * laneWidth + j] = lane.form.trend == .damped ? lane.p.phi : 1
                scalars[6 * laneWidth + j] = Double(lane.count)
                flags[j] = lane.form.error == .multiplicative ? 1 : 0
                flags[laneWidth + j] = isTrended ? 1 : 0
                flags[2 * laneWidth + j] = lane.form.season == .additive ? 1 : 0
                flags[3 * laneWidth + j] = lane.form.season == .multiplicative ? 1 : 0
                if lane.form.season != .none {
                    // As State.init: newest at slot 0, the oldest (the current period's) at slot 1 mod m.
                    let seasons = x + (isTrended ? 2 : 1)
                    ringLanes[j] = seasons[0]
                    for k in 1..<max(m, 1) { ringLanes[(m - k) * laneWidth + j] = seasons[k] }
                }
                minCount = min(minCount, lane.count)
                maxCount = max(maxCount, lane.count)
            }
            let level = vector(0), slope = vector(1), alpha = vector(2), betaOverAlpha = vector(3)
            let gamma = vector(4), phi = vector(5), counts = vector(6)
            let multiplicativeError = mask(0), trended = mask(1), additiveSeason = mask(2), multiplicativeSeason = mask(3)
            let seasonal = additiveSeason .| multiplicativeSeason
            // A chunk of one kind (as most are: lanes come grouped by kind) runs a loop compiled for it,
            // without the selects between kinds or the divisions only multiplicative parts need; the
            // same operations on its lanes as the mixed loop's, so the same values.
            let first = chunk[chunk.startIndex].form
            let oneKind = chunk.allSatisfy { $0.form.error == first.error && $0.form.season == first.season }
            var sums = Sums()
            func run<K: LaneKind>(_: K.Type) {
                sums = steps(K.self, y, m: m, ring: ring, minCount: minCount, maxCount: maxCount, counts: counts,
                             level: level, slope: slope, alpha: alpha, betaOverAlpha: betaOverAlpha, gamma: gamma, phi: phi,
                             trended: trended, multiplicativeError: multiplicativeError, additiveSeason: additiveSeason,
                             multiplicativeSeason: multiplicativeSeason, seasonal: seasonal)
            }
            switch (oneKind, first.error, first.season) {
            case (true, .additive, .none): run(OneKind<AdditiveError, NoSeason>.self)
            case (true, .additive, .additive): run(OneKind<AdditiveError, AdditiveSeason>.self)
            case (true, .multiplicative, .none): run(OneKind<MultiplicativeError, NoSeason>.self)
            case (true, .multiplicative, .additive): run(OneKind<MultiplicativeError, AdditiveSeason>.self)
            case (true, .multiplicative, .multiplicative): run(OneKind<MultiplicativeError, MultiplicativeSeason>.self)
            default: run(MixedKinds.self)
            }
            let (sse, product, exponents, failed) = (sums.sse, sums.product, sums.exponents, sums.failed)
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

    /// What the kernel accumulates per lane.
    struct Sums {
        var sse = Vector(repeating: 0), product = Vector(repeating: 1)
        var exponents = SIMD8<UInt64>(repeating: 0)
        var failed = SIMDMask<SIMD8<Int64>>(repeating: false)
    }

    /// The recursion over one chunk's lanes (ETS.recurse in every lane). For `K.uniform` every lane is
    /// of K's error and season, and the selects between kinds fold away at compile time; otherwise the
    /// masks say which lane is what. Past the shortest lane's end, `masked` freezes the lanes that have
    /// ended. A non-finite forecast needs no test of its own: it makes the sum of squares non-finite.
    @inline(__always)
    static func steps<K: LaneKind>(_: K.Type, _ y: UnsafeBufferPointer<Double>, m: Int, ring: UnsafeMutablePointer<Vector>,
                                   minCount: Int, maxCount: Int, counts: Vector,
                                   level: Vector, slope: Vector, alpha: Vector, betaOverAlpha: Vector, gamma: Vector,
                                   phi: Vector, trended: SIMDMask<SIMD8<Int64>>,
                                   multiplicativeError: SIMDMask<SIMD8<Int64>>, additiveSeason: SIMDMask<SIMD8<Int64>>,
                                   multiplicativeSeason: SIMDMask<SIMD8<Int64>>, seasonal: SIMDMask<SIMD8<Int64>>) -> Sums {
        var level = level, slope = slope
        var sums = Sums()
        // What the chunk holds: the divisions only multiplicative parts need are skipped without them.
        let anyMultiplicativeError = K.uniform ? K.multiplicativeError : any(multiplicativeError)
        let anyMultiplicativeSeason = K.uniform ? K.season == .multiplicative : any(multiplicativeSeason)
        let hasRing = K.uniform ? K.season != .none && m > 1 : m > 1
        var current = 1 % max(m, 1)
        let tiny = Vector(repeating: 1e-10), big = Vector(repeating: 1e10), floor = Vector(repeating: 1e-8)
        let one = Vector(repeating: 1), all = SIMDMask<SIMD8<Int64>>(repeating: true)
        for i in 0..<maxCount {
            let masked = i >= minCount
            let active = masked ? Vector(repeating: Double(i)) .< counts : all
            let yi = Vector(repeating: y[i])
            let q = level.replacing(with: level + phi * slope, where: trended)
            let s = hasRing ? ring[current] : q
            let f: Vector
            switch (K.uniform, K.season) {
            case (true, .none): f = q
            case (true, .additive): f = q + s
            case (true, .multiplicative): f = q * s
            case (false, _): f = q.replacing(with: q + s, where: additiveSeason).replacing(with: q * s, where: multiplicativeSeason)
            }
            let absF = magnitude(f)
            var e = yi - f
            if anyMultiplicativeError {
                let lanes = K.uniform ? active : active .& multiplicativeError
                sums.failed .|= lanes .& .!(absF .> tiny)
                e = K.uniform ? (yi - f) / f : e.replacing(with: (yi - f) / f, where: multiplicativeError)
            }
            sums.sse = masked ? sums.sse.replacing(with: sums.sse + e * e, where: active) : sums.sse + e * e
            // ETS.renormalise in every lane (lanes without a factor multiply by 1 and add exponent 0).
            if anyMultiplicativeError {
                let factor = one.replacing(with: absF.replacing(with: floor, where: absF .< floor),
                                           where: K.uniform ? active : multiplicativeError .& active)
                let (significand, exponent) = renormalised(sums.product * factor)
                sums.exponents &+= exponent
                sums.product = significand
            }
            // The update (State.update).
            var deseasoned: Vector
            switch (K.uniform, K.season) {
            case (true, .none): deseasoned = yi
            case (true, .additive): deseasoned = yi - s
            case (true, .multiplicative): deseasoned = (yi / s).replacing(with: big, where: magnitude(s) .< tiny)
            case (false, _):
                deseasoned = yi.replacing(with: yi - s, where: additiveSeason)
                if anyMultiplicativeSeason {
                    deseasoned = deseasoned.replacing(with: (yi / s).replacing(with: big, where: magnitude(s) .< tiny),
                                                      where: multiplicativeSeason)
                }
            }
            let oldL = level
            let newLevel = q + alpha * (deseasoned - q)
            let newSlope = phi * slope + betaOverAlpha * ((newLevel - oldL) - phi * slope)
            slope = slope.replacing(with: newSlope, where: masked ? trended .& active : trended)
            level = masked ? level.replacing(with: newLevel, where: active) : newLevel
            if hasRing {
                var t: Vector
                switch (K.uniform, K.season) {
                case (true, .multiplicative): t = (yi / q).replacing(with: big, where: magnitude(q) .< tiny)
                case (true, _): t = yi - q
                case (false, _):
                    t = yi - q
                    if anyMultiplicativeSeason {
                        t = t.replacing(with: (yi / q).replacing(with: big, where: magnitude(q) .< tiny), where: multiplicativeSeason)
                    }
                }
                let updated = s + gamma * (t - s)
                if K.uniform {
                    ring[current] = masked ? s.replacing(with: updated, where: active) : updated
                } else {
                    ring[current] = s.replacing(with: updated, where: masked ? seasonal .& active : seasonal)
                }
                current += 1
                if current == m { current = 0 }
            }
        }
        return sums
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
        // The optimisers apart from the problems they solve: the loop below mutates only the former,
        // and reads the latter without copying them.
        var optimisers = searches.map(\.search)
        let estimations = searches.map(\.estimation), lengths = searches.map { counts[$0.origin] }
        var active = laneOrder
        y.withUnsafeBufferPointer { yp in
            while true {
                lanes.removeAll(keepingCapacity: true)
                var kept = 0
                for j in active {
                    // Points outside the admissible region cost nothing: told +∞ at once.
                    while let v = optimisers[j].ask() {
                        let slice = UnsafeMutableBufferPointer(rebasing: states[(j * slot)..<((j + 1) * slot)])
                        if let p = estimations[j].evaluable(v, states: slice) {
                            lanes.append(Lane(form: estimations[j].form, p: p, count: lengths[j], offset: j * slot, search: j))
                            break
                        }
                        optimisers[j].tell(.infinity)
                    }
                    if !optimisers[j].isDone { active[kept] = j; kept += 1 }
                }
                active.removeLast(active.count - kept)
                if lanes.isEmpty { break }
                // The searches are in order of length, so lanes of equal length sit side by side and few
                // run past the others' end.
                let ringLength = lanes.contains { $0.form.season != .none } ? m : 1
                likelihoods(yp, m: ringLength, lanes: lanes[...], states: UnsafeBufferPointer(states), out: values)
                for lane in lanes { optimisers[lane.search].tell(values[lane.search]) }
            }
        }
        for (j, s) in searches.enumerated() {
            guard let model = s.estimation.finish(prefixes[s.origin], best: optimisers[j].result), model.aicc.isFinite else { continue }
            if models[s.origin] == nil || model.aicc < models[s.origin]!.aicc { models[s.origin] = model }
        }
        return models
    }
}

/// The kind of a kernel chunk's lanes, known at compile time.
protocol LaneKind {
    /// All lanes of `multiplicativeError` and `season`; false: mixed, the masks decide.
    static var uniform: Bool { get }
    static var multiplicativeError: Bool { get }
    static var season: ETSForm.SeasonType { get }
}
protocol ErrorKind { static var multiplicative: Bool { get } }
protocol SeasonKind { static var type: ETSForm.SeasonType { get } }
enum AdditiveError: ErrorKind { static var multiplicative: Bool { false } }
enum MultiplicativeError: ErrorKind { static var multiplicative: Bool { true } }
enum NoSeason: SeasonKind { static var type: ETSForm.SeasonType { .none } }
enum AdditiveSeason: SeasonKind { static var type: ETSForm.SeasonType { .additive } }
enum MultiplicativeSeason: SeasonKind { static var type: ETSForm.SeasonType { .multiplicative } }
enum OneKind<E: ErrorKind, S: SeasonKind>: LaneKind {
    static var uniform: Bool { true }
    static var multiplicativeError: Bool { E.multiplicative }
    static var season: ETSForm.SeasonType { S.type }
}
enum MixedKinds: LaneKind {
    static var uniform: Bool { false }
    static var multiplicativeError: Bool { false }
    static var season: ETSForm.SeasonType { .none }
}
