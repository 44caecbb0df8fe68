// Seasonal inputs for the recurrent models, after what made neural models competitive on M4 (Smyl's
// ES-RNN): the series is deseasonalised by per-series seasonal factors before it reaches the network
// (divided by the season's factor for a positive series — subtracted in log space — or minus an
// additive factor otherwise), the network sees the deseasonalised change with the target step's
// calendar position (sine and cosine), and the deseasonalised change one season before the target; on
// the way out the seasonal factors are put back. (An input of the gap between the deseasonalised level
// and its smoothed level was tried and dropped: on airline and three synthetic monthly series it made
// the LSTM's 12-month forecasts worse, e.g. airline MAE relative to naive 0.546 with it, 0.218 without.)
import AugurCore
import Foundation

/// Whether a recurrent model gets seasonal inputs: `auto` when the series is seasonal (the seasonality
/// tests below), or always, or never.
public enum SeasonalSetting: String, Sendable, Codable, CaseIterable {
    case auto, on, off
}

/// Where an observation sits in its season, read off its date.
public enum SeasonPosition: String, Sendable, Codable, CaseIterable {
    case monthOfYear, quarterOfYear, weekOfYear
    /// Monday … Friday, for business-day series.
    case weekday
    /// Monday … Sunday, for series kept every day.
    case dayOfWeek
    /// A yearly cycle of a daily series, as a smooth function of the day of the year.
    case dayOfYear

    /// Length of the cycle in positions (days for `dayOfYear`).
    public var period: Double {
        switch self {
        case .monthOfYear: return 12
        case .quarterOfYear: return 4
        case .weekOfYear: return 52
        case .weekday: return 5
        case .dayOfWeek: return 7
        case .dayOfYear: return 365.25
        }
    }

    /// Discrete positions have one factor each; `dayOfYear` has Fourier terms instead.
    public var isDiscrete: Bool { self != .dayOfYear }

    /// The position of `date`: 0 ..< period.
    public func position(_ date: CivilDate) -> Int {
        switch self {
        case .monthOfYear: return date.month - 1
        case .quarterOfYear: return (date.month - 1) / 3
        case .weekOfYear: return min(51, Self.dayOfYear(date) / 7)
        case .weekday: return min(4, date.weekday - 1)
        case .dayOfWeek: return date.weekday - 1
        case .dayOfYear: return Self.dayOfYear(date)
        }
    }

    /// The angle of `date` in the cycle, for the calendar inputs.
    public func angle(_ date: CivilDate) -> Double { 2 * Double.pi * Double(position(date)) / period }

    static func dayOfYear(_ date: CivilDate) -> Int {
        Int(date.daysSinceEpoch - (CivilDate(year: date.year, month: 1, day: 1)?.daysSinceEpoch ?? date.daysSinceEpoch))
    }
}

/// A series' seasonal factors, fitted on its training part and stored with the model.
public struct SeasonalProfile: Sendable, Codable, Equatable {
    public var position: SeasonPosition
    /// Positive series: factors are multiplicative, applied as logs (the network sees log changes).
    public var multiplicative: Bool
    /// One factor per position (in log space when multiplicative, centred on 0), or for `dayOfYear`
    /// the Fourier coefficients a₁, b₁, a₂, b₂, … of the yearly curve.
    public var factors: [Double]
    /// Observations per cycle: the seasonal lag of the lag input and the moving average's order.
    public var lag: Int

    /// The seasonal component at `date` in working units.
    public func component(_ date: CivilDate) -> Double {
        if position.isDiscrete {
            let p = position.position(date)
            return p < factors.count ? factors[p] : 0
        }
        let theta = position.angle(date)
        var s = 0.0
        for k in 0..<(factors.count / 2) {
            s += factors[2 * k] * cos(Double(k + 1) * theta) + factors[2 * k + 1] * sin(Double(k + 1) * theta)
        }
        return s
    }

    /// The working value of an observation: its log when multiplicative.
    public func working(_ y: Double) -> Double { multiplicative ? log(y) : y }

    /// How changes of working values turn back into levels.
    public var returnKind: ReturnKind { multiplicative ? .log : .difference }

    /// Fourier harmonics of the yearly curve.
    static let harmonics = 3
    /// The seasonal-strength threshold for a daily series' yearly or weekly cycle (as the seasonal
    /// differencing test's): the share of the detrended variance the seasonal curve explains.
    static let strengthThreshold = 0.64

    /// The profile of a series with these `values` and `dates` (its training part), or nil when it has
    /// none: `setting` off, undated, too short (two full cycles), or — under `auto` — not seasonal: the
    /// seasonal strength, 1 − Var(remainder) / Var(detrended), of the working values detrended by a
    /// centred moving average over one cycle, is below 0.64 (the ACF test of the classical models
    /// misses the seasons of a short trending series). A daily series is tried for a yearly curve, then
    /// for a weekly pattern.
    public static func fit(values: [Double], dates: [CivilDate], setting: SeasonalSetting,
                           everyDay: Bool) -> SeasonalProfile? {
        guard setting != .off, dates.count == values.count, let frequency = Frequency.detect(dates) else { return nil }
        let multiplicative = values.allSatisfy { $0 > 0 }
        let w = multiplicative ? values.map { log($0) } : values
        func discrete(_ position: SeasonPosition, lag: Int) -> SeasonalProfile? {
            guard values.count >= 2 * lag + 1 else { return nil }
            let factors = discreteFactors(w, dates: dates, position: position, lag: lag)
            return SeasonalProfile(position: position, multiplicative: multiplicative, factors: factors, lag: lag)
        }
        switch frequency {
        case .monthly, .quarterly, .weekly:
            let position: SeasonPosition = frequency == .monthly ? .monthOfYear : frequency == .quarterly ? .quarterOfYear : .weekOfYear
            let lag = frequency.seasonLength
            guard let profile = discrete(position, lag: lag) else { return nil }
            if setting == .auto, strength(w, profile: profile, dates: dates) < strengthThreshold { return nil }
            return profile
        case .daily:
            let perYear = observationsPerYear(dates)
            if values.count >= 2 * perYear + 1, perYear >= 100 {
                let (coefficients, strength) = yearlyCurve(w, dates: dates, window: perYear)
                if setting == .on || strength >= strengthThreshold {
                    return SeasonalProfile(position: .dayOfYear, multiplicative: multiplicative, factors: coefficients,
                                           lag: perYear)
                }
            }
            let position: SeasonPosition = everyDay ? .dayOfWeek : .weekday
            let lag = everyDay ? 7 : 5
            guard let profile = discrete(position, lag: lag) else { return nil }
            if setting == .auto, strength(w, profile: profile, dates: dates) < strengthThreshold { return nil }
            return profile
        case .yearly:
            return nil
        }
    }

    /// Observations in a year of these dates (the median count over the 365-day windows ending at each
    /// of the last few years), at least 1.
    static func observationsPerYear(_ dates: [CivilDate]) -> Int {
        guard let first = dates.first, let last = dates.last else { return 1 }
        let days = Double(last.days(since: first))
        guard days > 0 else { return 1 }
        return max(1, Int((Double(dates.count - 1) * 365.25 / days).rounded()))
    }

    /// Classical decomposition by calendar position: the mean of (w − centred average) per position,
    /// centred on 0 (positions never seen get 0).
    static func discreteFactors(_ w: [Double], dates: [CivilDate], position: SeasonPosition, lag: Int) -> [Double] {
        let count = Int(position.period)
        let (first, trend) = ClassicalDecomposition.centredMovingAverage(w, order: lag)
        var sums = [Double](repeating: 0, count: count), counts = [Int](repeating: 0, count: count)
        for (k, tr) in trend.enumerated() {
            let t = first + k, p = position.position(dates[t])
            sums[p] += w[t] - tr
            counts[p] += 1
        }
        let raw = (0..<count).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }
        let seen = (0..<count).filter { counts[$0] > 0 }
        let mean = seen.isEmpty ? 0 : seen.reduce(0) { $0 + raw[$1] } / Double(seen.count)
        return (0..<count).map { counts[$0] > 0 ? raw[$0] - mean : 0 }
    }

    /// A yearly curve of `harmonics` Fourier pairs fitted by least squares to w minus its centred
    /// yearly average, with its seasonal strength: 1 − Var(remainder) / Var(detrended).
    static func yearlyCurve(_ w: [Double], dates: [CivilDate], window: Int) -> (coefficients: [Double], strength: Double) {
        let (first, trend) = ClassicalDecomposition.centredMovingAverage(w, order: window)
        let K = harmonics, p = 2 * K
        guard trend.count > 4 * p else { return (Array(repeating: 0, count: p), 0) }
        var xtx = [Double](repeating: 0, count: p * p), xty = [Double](repeating: 0, count: p)
        var rows: [([Double], Double)] = []
        rows.reserveCapacity(trend.count)
        for (k, tr) in trend.enumerated() {
            let t = first + k, theta = SeasonPosition.dayOfYear.angle(dates[t])
            var x = [Double](repeating: 0, count: p)
            for j in 0..<K { x[2 * j] = cos(Double(j + 1) * theta); x[2 * j + 1] = sin(Double(j + 1) * theta) }
            let y = w[t] - tr
            for a in 0..<p {
                xty[a] += x[a] * y
                for b in 0..<p { xtx[a * p + b] += x[a] * x[b] }
            }
            rows.append((x, y))
        }
        guard let beta = solveSymmetric(xtx, xty, size: p) else { return (Array(repeating: 0, count: p), 0) }
        var total = 0.0, remainder = 0.0
        let meanY = rows.reduce(0) { $0 + $1.1 } / Double(rows.count)
        for (x, y) in rows {
            let fit = zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 }
            total += (y - meanY) * (y - meanY)
            remainder += (y - fit) * (y - fit)
        }
        return (beta, total > 0 ? max(0, 1 - remainder / total) : 0)
    }

    /// Seasonal strength of a discrete profile on w: 1 − Var(remainder) / Var(detrended).
    static func strength(_ w: [Double], profile: SeasonalProfile, dates: [CivilDate]) -> Double {
        let (first, trend) = ClassicalDecomposition.centredMovingAverage(w, order: profile.lag)
        guard trend.count > 2 else { return 0 }
        var detrended: [Double] = [], remainder: [Double] = []
        for (k, tr) in trend.enumerated() {
            let t = first + k
            detrended.append(w[t] - tr)
            remainder.append(w[t] - tr - profile.component(dates[t]))
        }
        func variance(_ v: [Double]) -> Double {
            let m = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)
        }
        let total = variance(detrended)
        return total > 0 ? max(0, 1 - variance(remainder) / total) : 0
    }

    /// Solves A x = b for a small symmetric positive-definite A (Cholesky); nil when A is singular.
    static func solveSymmetric(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 1e-12 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}

/// What the seasonal inputs need to go on from one observation: the deseasonalised changes of the last
/// season and the observation's date (the dates after it follow from the series' frequency).
/// `advance(change:)` takes the (predicted or actual) deseasonalised change into the next observation
/// and returns that step's input row.
public struct SeasonalCursor: Sendable {
    public let profile: SeasonalProfile
    /// The last `profile.lag` deseasonalised changes, oldest first (fewer near the series' start).
    var recentChanges: [Double]
    /// The current observation's date, and how the next dates follow it.
    var date: CivilDate
    let frequency: Frequency
    let everyDay: Bool

    /// The date of the observation after `d`.
    func date(after d: CivilDate) -> CivilDate {
        TradingCalendar().futureDates(after: d, count: 1, frequency: frequency, everyDay: everyDay).first ?? d.adding(days: 1)
    }

    /// The input row of the change into the current observation, whose target is on `targetDate`.
    func row(change: Double, targetDate: CivilDate) -> [Double] {
        let theta = profile.position.angle(targetDate)
        // The deseasonalised change one season before the target: recentChanges holds the changes
        // into the last `lag` observations, so the one into (target − lag) is the oldest kept, when a
        // whole season is kept. The yearly curve of a daily series has no lag input (a year-old daily
        // change is noise).
        let lagged = profile.position == .dayOfYear || recentChanges.count < profile.lag ? 0 : recentChanges[recentChanges.count - profile.lag]
        return [change, sin(theta), cos(theta), lagged]
    }

    /// The seasonal component's change from the current observation to the next.
    public var nextSeasonalStep: Double { profile.component(date(after: date)) - profile.component(date) }

    /// Moves to the next observation after a deseasonalised change; returns the input row of that step.
    public mutating func advance(change: Double) -> [Double] {
        let next = date(after: date)
        recentChanges.append(change)
        if recentChanges.count > profile.lag { recentChanges.removeFirst(recentChanges.count - profile.lag) }
        date = next
        return row(change: change, targetDate: date(after: next))
    }
}

/// A series' seasonal working quantities, observation by observation.
struct SeasonalTrack {
    let profile: SeasonalProfile
    let dates: [CivilDate]
    let frequency: Frequency
    let everyDay: Bool
    /// Deseasonalised working values.
    var deseasonalised: [Double] = []

    init(profile: SeasonalProfile, values: [Double], dates: [CivilDate]) {
        self.profile = profile
        self.dates = dates
        frequency = Frequency.detect(dates) ?? .daily
        everyDay = TimeSeriesHistory.observedAtWeekends(dates)
        deseasonalised.reserveCapacity(values.count)
        for (i, y) in values.enumerated() {
            let d = profile.working(y) - profile.component(dates[i])
            deseasonalised.append(d)
        }
    }

    func change(_ i: Int) -> Double { deseasonalised[i] - deseasonalised[i - 1] }

    /// The input row of the change into observation i (i ≥ 1), whose target is observation i + 1 (or,
    /// for the last observation, the next date the frequency gives): what `SeasonalCursor.row` gives at
    /// observation i, without building the cursor's season of changes for every row.
    func row(_ i: Int) -> [Double] {
        let target = i + 1 < dates.count ? dates[i + 1] : cursor(at: i).date(after: dates[i])
        let theta = profile.position.angle(target)
        let lagged = profile.position == .dayOfYear || i - profile.lag + 1 < 1 ? 0 : change(i - profile.lag + 1)
        return [change(i), sin(theta), cos(theta), lagged]
    }

    /// The cursor at observation i.
    func cursor(at i: Int) -> SeasonalCursor {
        let from = max(1, i - profile.lag + 1)
        let recent = from <= i ? (from...i).map(change) : []
        return SeasonalCursor(profile: profile, recentChanges: recent,
                              date: dates[i], frequency: frequency, everyDay: everyDay)
    }
}
