import AugurCore
import Foundation

/// What `auto` forecasts with at one horizon.
public enum AutoChoice: Sendable, Equatable, Codable, CustomStringConvertible {
    /// One model's forecast.
    case single(ModelKind)
    /// The median of these models' forecasts.
    case median([ModelKind])
    /// The mean of these models' forecasts weighted by the inverse of their validation errors.
    case weighted([ModelKind], weights: [Double])

    public var members: [ModelKind] {
        switch self {
        case .single(let k): return [k]
        case .median(let ks), .weighted(let ks, _): return ks
        }
    }

    public var description: String {
        switch self {
        case .single(let k): return k.name
        case .median(let ks): return "median(\(ks.map(\.name).joined(separator: ", ")))"
        case .weighted(let ks, _):
            // The weights are in the stored evidence; the name says who takes part.
            return "weighted(\(ks.sorted().map(\.name).joined(separator: ", ")))"
        }
    }

    /// This choice's forecast from its members' (`forecasts[k]` at one step).
    func combine(_ value: (ModelKind) -> Double) -> Double {
        switch self {
        case .single(let k): return value(k)
        case .median(let ks):
            return AugurForecast.median(ks.map(value))
        case .weighted(let ks, let w):
            return zip(ks, w).reduce(0) { $0 + value($1.0) * $1.1 }
        }
    }
}

/// The evidence behind one horizon's choice: validation MASE of the choice and of the baseline, and the
/// Diebold–Mariano test of the choice against the baseline on the same validation errors.
public struct AutoHorizonSelection: Sendable, Equatable, Codable {
    public var horizon: Int
    public var choice: AutoChoice
    /// True when no candidate beat the baseline significantly: `choice` is then the baseline.
    public var noSkill: Bool
    /// Validation MASE of the best candidate or combination (before the skill test) and of the baseline.
    public var bestMASE: Double?
    public var bestName: String
    public var baselineMASE: Double?
    /// One-sided p-value of "the best is more accurate than the baseline" (nil: no test possible).
    public var pValue: Double?
    /// How many validation errors the test saw.
    public var errors: Int
}

/// A whole selection: the baseline, the candidates tried and their validation MASE per horizon, the
/// choice per horizon.
public struct AutoSelection: Sendable, Equatable, Codable, CustomStringConvertible {
    public var baseline: ModelKind
    public var season: Int
    public var origins: Int
    /// Validation MASE per candidate (index h − 1); candidates that failed to fit are left out.
    public var candidateMASE: [ModelKind: [Double]]
    public var horizons: [AutoHorizonSelection]
    /// The skill test over all horizons: its one-sided p-value and whether the advantage held in both
    /// halves of the validation window (nil when too short to validate).
    public var skillPValue: Double? = nil
    public var skillHoldsInBothHalves: Bool? = nil

    /// The choice for horizon h (the last validated one beyond them).
    public func selection(at h: Int) -> AutoHorizonSelection { horizons[min(max(h, 1), horizons.count) - 1] }

    /// Consecutive horizons with the same choice (by its description) and the same skill verdict.
    public var runs: [ArraySlice<AutoHorizonSelection>] {
        var out: [ArraySlice<AutoHorizonSelection>] = []
        var start = 0
        for i in horizons.indices {
            if i == horizons.count - 1 || horizons[i + 1].choice.description != horizons[i].choice.description
                || horizons[i + 1].noSkill != horizons[i].noSkill {
                out.append(horizons[start...i])
                start = i + 1
            }
        }
        return out
    }

    static func span(_ run: ArraySlice<AutoHorizonSelection>) -> String {
        let a = run.first!.horizon, b = run.last!.horizon
        return a == b ? "h \(a)" : "h \(a)–\(b)"
    }

    /// Runs of equal choices, e.g. `h 1–5: naive (no skill shown); h 6–12: median(autoarima, autoets, theta)`.
    public var description: String {
        runs.map { "\(Self.span($0)): \($0.last!.choice)" + ($0.last!.noSkill ? " (no skill shown)" : "") }
            .joined(separator: "; ")
    }

    /// One line per run with its evidence: the validation MASE of the best candidate and of the baseline
    /// (ranges over the run's horizons) and the Diebold–Mariano p-values, e.g.
    /// `h 1–11: autoarima (validation MASE 0.35–0.61 vs snaive 1.02–1.34; DM p 0.000–0.004, 48 origins)`.
    public var explanation: [String] {
        if origins == 0 {
            return ["\(description): too short to validate (\(baseline) is the baseline)"]
        }
        func range(_ v: [Double], digits: Int = 2) -> String {
            guard let lo = v.min(), let hi = v.max() else { return "–" }
            let f = { (x: Double) in String(format: "%.\(digits)f", x) }
            return f(lo) == f(hi) ? f(lo) : "\(f(lo))–\(f(hi))"
        }
        return runs.map { run in
            let last = run.last!
            let bestMASE = run.compactMap(\.bestMASE), baseMASE = run.compactMap(\.baselineMASE), p = run.compactMap(\.pValue)
            let head = "\(Self.span(run)): \(last.choice)" + (last.noSkill ? " (no skill shown)" : "")
            let best = last.noSkill ? "best \(run.count == 1 ? last.bestName : "candidates") \(range(bestMASE))" : range(bestMASE)
            // Where the test over all horizons failed, its p-value is the reason; elsewhere each horizon's.
            let overall = skillPValue.map { p -> String in
                let halves = skillHoldsInBothHalves == false ? ", not in both halves of the window" : ""
                return "skill test over all horizons p \(String(format: "%.3f", p))\(halves)"
            }
            let failedOverall = (skillPValue.map { $0 >= 0.05 } ?? false) || skillHoldsInBothHalves == false
            let test = last.noSkill && failedOverall ? (overall ?? "no test possible") : "DM p \(range(p, digits: 3))"
            return head + " (validation MASE \(best) vs \(baseline) \(range(baseMASE)); \(test), \(origins) origins)"
        }
    }
}

/// `auto` (`ModelKind.auto`): per horizon, the model or combination with the lowest error on a
/// rolling-origin validation inside the history it is given, unless it fails to beat the right
/// baseline (seasonal naive for a seasonal series, naive otherwise) by a one-sided Diebold–Mariano test
/// at 5%: then the baseline, and "no model shows skill here".
///
/// The validation uses only the history `fit` sees, so in a backtest the choice at each origin is made
/// from the data before it (nested); it is re-made once the history has grown by `reselectAfter`
/// observations since the last selection, and in between the chosen models are refitted on the grown
/// history (so a backtest that scores every day costs about what one scoring every fifth day did).
public struct AutoForecaster: Forecaster {
    public let kind = ModelKind.auto
    public var season: Int?
    /// The longest horizon validated (nil: the standard protocol's for the history's frequency).
    public var horizon: Int?
    /// The candidates (nil: every registered statistical model and baseline that suits the series).
    public var candidates: [ModelKind]?
    /// Validation origins (at most) and the distance between them (nil: 5 for daily data, else 1).
    public var validationOrigins = 48
    public var originStep: Int?
    /// Observations added before the selection is made anew (nil: five validation origin steps, 25
    /// for daily data, 5 for monthly).
    public var reselectAfter: Int?
    /// The significance level of the skill test.
    public var level = 0.05

    /// Neural candidates (e.g. `[.lstm, .gru]`): each trained on the data before the first validation
    /// origin and advanced through the window, as a backtest does; `settings` configures them.
    public var neuralCandidates: [ModelKind] = []
    public var settings = ModelSettings()
    /// Members made elsewhere (a stored neural model brought up to the end of the history): used as
    /// they are whenever the selection chooses their kind, instead of being fitted here.
    public var providedMembers: [ModelKind: any Forecaster] = [:]

    public private(set) var selection: AutoSelection?
    private var fitted: [ModelKind: any Forecaster] = [:]
    /// How many observations the members were last fitted or advanced to.
    private var fittedCount = 0
    /// How many observations the selection was made on.
    private var selectedCount = 0
    /// The statistical candidates' validation forecasts of earlier selections (see `ValidationMemo`).
    private var memo = ValidationMemo()

    /// Validation forecasts by candidate and origin, with the history they were made from. A backtest
    /// re-selects every few origins on a history grown by a few observations, whose validation origins
    /// are then mostly the last selection's; a statistical model's forecast from an origin depends on
    /// the observations before it alone, so those forecasts are taken from here instead of being fitted
    /// again. Kept for the same member season and horizon, frequency and kind, and only for origins up
    /// to where the new history agrees with the old one, values and dates.
    ///
    /// A statistical member refitted on the whole history between selections is the candidate of its
    /// kind at the origin that history ends at: its forecast is kept here too.
    struct ValidationMemo {
        /// The history of the last selection or member fit.
        var history: TimeSeriesHistory?
        var season: Int?, horizon = 0
        var points: [ModelKind: [Int: [Double]]] = [:]

        /// Drops what `new` (validated with member season `season` to `horizon`) does not share and
        /// takes it as the memo's history.
        mutating func rebase(on new: TimeSeriesHistory, season: Int?, horizon: Int) {
            if let old = history, season == self.season, horizon == self.horizon, old.frequency == new.frequency,
               old.kind == new.kind, old.dates.isEmpty == new.dates.isEmpty {
                let limit = min(old.count, new.count)
                var agree = 0
                while agree < limit, old.values[agree] == new.values[agree],
                      old.dates.isEmpty || old.dates[agree] == new.dates[agree] { agree += 1 }
                for kind in points.keys { points[kind] = points[kind]!.filter { $0.key <= agree } }
            } else {
                points = [:]
            }
            history = new
            self.season = season
            self.horizon = horizon
        }

        /// `model`, of `kind` and fitted on the whole of `history`, as the validation candidate at origin
        /// `history.count` (nothing before a first selection has set the horizon).
        mutating func remember(_ kind: ModelKind, _ model: any Forecaster, fittedOn history: TimeSeriesHistory) {
            guard horizon > 0, let point = try? model.predict(horizon: horizon, levels: []).point else { return }
            rebase(on: history, season: season, horizon: horizon)
            points[kind, default: [:]][history.count] = point
        }
    }

    public init(season: Int? = nil, horizon: Int? = nil, candidates: [ModelKind]? = nil) {
        self.season = season
        self.horizon = horizon
        self.candidates = candidates
    }

    /// Keeps `selection` (made earlier, e.g. stored) and fits only the models it uses to `history` (the
    /// provided members are used as they are): what the daily job does between selections.
    public mutating func refit(_ history: TimeSeriesHistory, keeping selection: AutoSelection) throws(ForecastError) {
        self.selection = selection
        selectedCount = history.count
        try refitMembers(history, settings: memberSettings)
    }

    /// `refit(_:keeping:)` at each of `prefixes` (shortest first, prefixes of one history): one forecaster
    /// per prefix. A member that can fit many prefixes at once (AutoETS, in SIMD lanes) is fitted at all
    /// of them together, with the same result as one by one: the calibration layer asks for hundreds.
    public func refitted(_ prefixes: [TimeSeriesHistory], keeping selection: AutoSelection) throws(ForecastError) -> [AutoForecaster] {
        var out = prefixes.map { p -> AutoForecaster in
            var a = self
            a.selection = selection
            a.selectedCount = p.count
            a.fitted = [:]
            a.fittedCount = p.count
            return a
        }
        let settings = memberSettings
        for kind in Self.members(of: selection) {
            if let given = providedMembers[kind] {
                for k in out.indices { out[k].fitted[kind] = given }
                continue
            }
            for (k, m) in try kind.makeForecaster(settings).fitted(on: prefixes).enumerated() { out[k].fitted[kind] = m }
        }
        return out
    }

    /// The models the selection uses, by kind.
    public var members: [ModelKind] { selection.map(Self.members(of:)) ?? [] }

    static func members(of selection: AutoSelection) -> [ModelKind] {
        Set(selection.horizons.flatMap(\.choice.members) + [selection.baseline]).sorted()
    }

    var memberSettings: ModelSettings {
        var s = settings
        s.season = season ?? settings.season
        return s
    }

    public var fittedDescription: String? { selection?.description }
    /// Fitted once; `observe` then decides between a new selection and refitting the chosen models.
    public var refitPolicy: RefitPolicy { .once }

    /// The statistical models and baselines `auto` weighs by default (the neural ones are trained
    /// models, not fitted on the spot).
    public static func defaultCandidates(seasonal: Bool) -> [ModelKind] {
        ModelKind.allCases.filter { k in
            guard k != .auto, !k.isNeural else { return false }
            return seasonal || k != .snaive
        }
    }

    public mutating func fit(_ history: TimeSeriesHistory) throws(ForecastError) {
        selectedCount = history.count
        let m = season ?? Seasonality.automaticLength(history)
        let seasonal = m > 1
        let baseline = Seasonality.baseline(history, season: m)
        // The standard backtest protocol's longest horizon and origin step unless told.
        let standard = BacktestConfiguration.standard(for: history)
        let h = max(1, horizon ?? standard.horizons.max() ?? 1)
        let step = originStep ?? standard.originStep
        var kinds = candidates ?? Self.defaultCandidates(seasonal: seasonal)
        if !kinds.contains(baseline) { kinds.insert(baseline, at: 0) }
        kinds += neuralCandidates.filter { !kinds.contains($0) }
        let settings = memberSettings

        // Validation origins: the last ones at which every horizon up to h can be scored, and no earlier
        // than enough history to fit the seasonal models.
        let n = history.count
        let minimumTraining = max(2 * m + 2, 12)
        var origins: [Int] = []
        var o = n - h
        while origins.count < validationOrigins, o >= minimumTraining {
            origins.append(o)
            o -= step
        }
        origins.reverse()
        // Too short to validate: the baseline alone.
        guard origins.count >= 3 else {
            try fitFallback(history, baseline: baseline, season: m, horizon: h)
            return
        }

        // Every candidate at every origin: e[kind][origin][step] (nil where it could not fit).
        let histories = origins.map { history.prefix($0) }
        var errors: [ModelKind: [[Double]]] = [:]
        var forecasts: [ModelKind: [[Double]]] = [:]
        memo.rebase(on: history, season: settings.season, horizon: h)
        for kind in kinds {
            let model = kind.makeForecaster(settings)
            do {
                var points: [[Double]] = []
                if model.refitPolicy != .everyOrigin {
                    // A trained model: fitted (trained) where its policy says, advanced in between, and
                    // asked at each origin before it moves on (its state is its own).
                    var m = model
                    for (k, p) in histories.enumerated() {
                        if k == 0 || m.refitPolicy.refits(atOriginOrdinal: k) { try m.fit(p) }
                        else { try m.observe(p, newObservationCount: origins[k] - origins[k - 1]) }
                        points.append(try m.predict(horizon: h, levels: []).point)
                    }
                } else {
                    // Fitted at each origin the memo does not hold (all together when the model can).
                    var known = memo.points[kind] ?? [:]
                    let missing = origins.indices.filter { known[origins[$0]] == nil }
                    let models = try model.fitted(on: missing.map { histories[$0] })
                    for (k, fittedModel) in zip(missing, models) {
                        known[origins[k]] = try fittedModel.predict(horizon: h, levels: []).point
                    }
                    points = origins.map { known[$0]! }
                    memo.points[kind] = known.filter { $0.key >= origins[0] }   // later windows start later
                }
                var e: [[Double]] = [], f: [[Double]] = []
                for (k, point) in points.enumerated() {
                    guard point.allSatisfy(\.isFinite) else { throw ForecastError.nonFiniteValue(index: k) }
                    f.append(point)
                    e.append((0..<h).map { history.values[origins[k] + $0] - point[$0] })
                }
                errors[kind] = e
                forecasts[kind] = f
            } catch {
                continue   // a candidate that cannot fit this series is not a candidate
            }
        }
        guard let baseErrors = errors[baseline] else {
            throw .insufficientData(model: name, needed: minimumTraining + h + 3, got: n)
        }

        // MASE scale: the in-sample (seasonal) naive error before the first validation origin (1 where
        // that is undefined: a constant start).
        let scale = (try? Metric.maseScale(training: Array(history.values.prefix(origins[0])), seasonLength: seasonal ? m : 1)) ?? 1

        let actual = { (k: Int, step: Int) in history.values[origins[k] + step] }
        var candidateMASE: [ModelKind: [Double]] = [:]
        for (kind, e) in errors { candidateMASE[kind] = (0..<h).map { s in e.map { abs($0[s]) }.reduce(0, +) / Double(e.count) / scale } }
        // Per horizon, the best single model or combination of the best three by validation MASE.
        var best: [(choice: AutoChoice, errors: [Double], mase: Double)] = []
        for s in 0..<h {
            let ranked = candidateMASE.keys.sorted { (candidateMASE[$0]![s], $0) < (candidateMASE[$1]![s], $1) }
            var options: [AutoChoice] = ranked.prefix(1).map { .single($0) }
            let top = Array(ranked.prefix(3))
            if top.count == 3 {
                options.append(.median(top.sorted()))
                let inverse = top.map { 1 / max(candidateMASE[$0]![s], 1e-12) }
                let total = inverse.reduce(0, +)
                options.append(.weighted(top, weights: inverse.map { $0 / total }))
            }
            let scored = options.map { c -> (choice: AutoChoice, errors: [Double], mase: Double) in
                let e = origins.indices.map { k in actual(k, s) - c.combine { forecasts[$0]![k][s] } }
                return (c, e, e.map(abs).reduce(0, +) / Double(e.count) / scale)
            }
            best.append(scored.min { $0.mase < $1.mase }!)
        }
        // The skill test: at each validation origin, the chosen forecasts' absolute errors summed over
        // the horizons less the baseline's; one Diebold–Mariano test of that differential, whose lags
        // are correlated where the h-step paths of nearby origins overlap. (A test per horizon alone, on
        // a couple of dozen errors, has little power and flips the choice from horizon to horizon.)
        let pooledBest = origins.indices.map { k in (0..<h).reduce(0) { $0 + abs(best[$1].errors[k]) } }
        let pooledBase = origins.indices.map { k in (0..<h).reduce(0) { $0 + abs(baseErrors[k][$1]) } }
        // Paths from origins `step` apart overlap for ⌈h / step⌉ − 1 origins: that many lags of the
        // differential are correlated (h − 1 when every origin is used).
        func lags(_ horizon: Int) -> Int { (horizon + step - 1) / step }
        let test = DieboldMariano(pooledBest, pooledBase, horizon: lags(h), power: 1)
        // And the advantage must hold in both halves of the validation window: skill that a calm spell
        // shows and a volatile one takes back is not skill a user can bank on.
        let half = origins.count / 2
        let differences = zip(pooledBest, pooledBase).map { $0 - $1 }
        let holdsEarly = differences[..<half].reduce(0, +) < 0, holdsLate = differences[half...].reduce(0, +) < 0
        let skill = (test.map { $0.pLess < level && $0.meanDifference < 0 } ?? false) && holdsEarly && holdsLate
        var perHorizon: [AutoHorizonSelection] = []
        for s in 0..<h {
            let baselineMASE = candidateMASE[baseline]![s]
            // With skill shown overall, each horizon must show its own (one-sided DM at the same level
            // on that horizon's errors): a horizon where the best merely edges the baseline keeps it.
            let own = DieboldMariano(best[s].errors, baseErrors.map { $0[s] }, horizon: lags(s + 1), power: 1)
            let use = skill && best[s].mase < baselineMASE && (own.map { $0.pLess < level } ?? false)
            perHorizon.append(AutoHorizonSelection(
                horizon: s + 1, choice: use ? best[s].choice : .single(baseline), noSkill: !use,
                bestMASE: best[s].mase, bestName: best[s].choice.description, baselineMASE: baselineMASE,
                pValue: own?.pLess, errors: origins.count))
        }
        selection = AutoSelection(baseline: baseline, season: m, origins: origins.count, candidateMASE: candidateMASE,
                                  horizons: perHorizon, skillPValue: test?.pLess, skillHoldsInBothHalves: holdsEarly && holdsLate)
        try refitMembers(history, settings: settings)
    }

    /// Keeps the selection; refits the chosen statistical models on the grown history and advances the
    /// neural ones over the new observations.
    public mutating func observe(_ history: TimeSeriesHistory, newObservationCount: Int) throws(ForecastError) {
        guard selection != nil else { return try fit(history) }
        let every = reselectAfter ?? 5 * (originStep ?? BacktestConfiguration.standard(for: history).originStep)
        if history.count - selectedCount >= every { return try fit(history) }
        try refitMembers(history, settings: memberSettings, incremental: true)
    }

    private mutating func fitFallback(_ history: TimeSeriesHistory, baseline: ModelKind, season m: Int,
                                      horizon h: Int) throws(ForecastError) {
        selection = AutoSelection(baseline: baseline, season: m, origins: 0, candidateMASE: [:], horizons: (1...h).map {
            AutoHorizonSelection(horizon: $0, choice: .single(baseline), noSkill: true, bestMASE: nil, bestName: baseline.name,
                                 baselineMASE: nil, pValue: nil, errors: 0)
        })
        try refitMembers(history, settings: memberSettings)
    }

    private mutating func refitMembers(_ history: TimeSeriesHistory, settings: ModelSettings,
                                       incremental: Bool = false) throws(ForecastError) {
        guard selection != nil else { throw .notFitted(model: name) }
        var out: [ModelKind: any Forecaster] = [:]
        for kind in members {
            if let given = providedMembers[kind] { out[kind] = given; continue }
            if incremental, var model = fitted[kind], model.refitPolicy != .everyOrigin, history.count > fittedCount {
                try model.observe(history, newObservationCount: history.count - fittedCount)
                out[kind] = model
                continue
            }
            var model = kind.makeForecaster(settings)
            try model.fit(history)
            if model.refitPolicy == .everyOrigin, settings.season == memo.season { memo.remember(kind, model, fittedOn: history) }
            out[kind] = model
        }
        fitted = out
        fittedCount = history.count
    }

    public func predict(horizon: Int, levels: [Double]) throws(ForecastError) -> Forecast {
        try validatePrediction(horizon: horizon, levels: levels)
        guard let selection else { throw .notFitted(model: name) }
        var member: [ModelKind: Forecast] = [:]
        for (kind, model) in fitted { member[kind] = try model.predict(horizon: horizon, levels: levels) }
        var point: [Double] = []
        var lower = [[Double]](repeating: [], count: levels.count), upper = lower
        for s in 0..<horizon {
            let choice = selection.selection(at: s + 1).choice
            let p = choice.combine { member[$0]!.point[s] }
            point.append(p)
            for (l, level) in levels.enumerated() {
                lower[l].append(choice.combine { member[$0]!.interval(level: level)!.lower[s] })
                upper[l].append(choice.combine { member[$0]!.interval(level: level)!.upper[s] })
            }
        }
        // The members' bounds combined as their points are; where the choice changes from one horizon to
        // the next, a narrower member's band would follow a wider one's: as every interval the calibration
        // layer issues, each contains its point, no side narrows with the horizon, and the levels nest.
        return Forecast(model: kind, point: point,
                        intervals: IntervalCalibrator.tidy(point: point, lower: lower, upper: upper, levels: levels))
    }
}
