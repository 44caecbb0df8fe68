import AugurCore

/// Axis ticks: "nice" 1-2-5 steps for values, calendar units for dates. Public so that tests (and any
/// other chart) can use the same rules.
public enum Ticks {
    /// Ticks covering `low…high` with about `targetCount` values (the closest count a step allows) on a
    /// 1, 2 or 5 × 10ⁿ step. The axis runs
    /// from a multiple of the step at or below `low` to one at or above `high`.
    ///
    /// A flat range (one value, or a series that never moves) is widened by 1% of its value on each side
    /// (±1 around zero); ranges narrower than a billionth of their magnitude count as flat, because a
    /// Double cannot label finer steps. Non-finite bounds give the axis 0…1.
    ///
    /// ```swift
    /// Ticks.values(covering: 3.2, 97.5).values   // [0, 20, 40, 60, 80, 100]
    /// ```
    public static func values(covering low: Double, _ high: Double, targetCount: Int = 5) -> ValueTicks {
        var lo = low.isFinite ? min(low, high) : 0
        var hi = high.isFinite ? max(low, high) : 1
        if !low.isFinite || !high.isFinite { lo = 0; hi = 1 }
        let magnitude = max(abs(lo), abs(hi))
        if hi - lo <= magnitude * 1e-9 {
            let pad = magnitude == 0 ? 1 : magnitude * 0.01
            lo -= pad
            hi += pad
        }
        // Of the 1-2-5 steps near the raw step, take the one whose tick count is closest to the target,
        // and on a tie the one whose axis hugs the data most tightly.
        let rawStep = (hi - lo) / Double(max(1, targetCount - 1))
        let rawExponent = Int(rawStep.log10Floor)
        var mantissa = 1, exponent = rawExponent, bestMiss = Int.max, bestSpan = Double.infinity
        for e in (rawExponent - 1)...(rawExponent + 1) {
            for m in [1, 2, 5] {
                let step = Double(m) * NumberFormat.power10Signed(e)
                let first = Int((lo / step).rounded(.down)), last = Int((hi / step).rounded(.up))
                let miss = abs(last - first + 1 - targetCount)
                let span = Double(last - first) * step
                if miss < bestMiss || (miss == bestMiss && span < bestSpan) {
                    (mantissa, exponent, bestMiss, bestSpan) = (m, e, miss, span)
                }
            }
        }
        let step = Double(mantissa) * NumberFormat.power10Signed(exponent)
        // Tick k sits at k·mantissa·10^exponent, computed from integers so labels print exactly.
        let first = Int((lo / step).rounded(.down))
        let last = Int((hi / step).rounded(.up))
        func value(_ k: Int) -> Double {
            exponent >= 0 ? Double(k * mantissa) * NumberFormat.power10(exponent)
                          : Double(k * mantissa) / NumberFormat.power10(-exponent)
        }
        let values = (first...max(first + 1, last)).map(value)
        let decimals = max(0, -exponent)
        let labels = values.map { label($0, decimals: decimals) }
        return ValueTicks(lower: values[0], upper: values[values.count - 1], step: step,
                          values: values, labels: labels)
    }

    private static func label(_ v: Double, decimals: Int) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e15 || decimals > 10 { return NumberFormat.scientific(v, digits: 3) }
        return abs(v) >= 10_000 ? NumberFormat.grouped(v, decimals: decimals) : NumberFormat.fixed(v, decimals: decimals)
    }

    /// Date ticks on the finest calendar unit that gives at most `maxCount` ticks inside `from…to`:
    /// 1 or 2 days, Mondays (every 1 or 2 weeks), first days of months (every 1, 3 or 6 months), then
    /// 1 January every 1, 2, 5, 10, 20, 50 or 100 years. So ticks thin out as the span grows.
    public static func dates(from: CivilDate, to: CivilDate, maxCount: Int = 7) -> DateTicks {
        let (start, end) = from <= to ? (from, to) : (to, from)
        let limit = max(1, maxCount)
        let units: [DateTickUnit] = [.days(1), .days(2), .weeks(1), .weeks(2), .months(1), .months(3), .months(6),
                                     .years(1), .years(2), .years(5), .years(10), .years(20), .years(50), .years(100)]
        var chosen: (DateTickUnit, [CivilDate])?
        for unit in units {
            if let ticks = unit.ticks(from: start, to: end, limit: limit) {
                chosen = (unit, ticks)
                break
            }
        }
        let (unit, dates) = chosen ?? (.years(100), [])
        var labels: [String] = []
        for (i, d) in dates.enumerated() {
            let previous = i > 0 ? dates[i - 1] : nil
            labels.append(unit.label(d, previous: previous))
        }
        return DateTicks(unit: unit, dates: dates, labels: labels)
    }
}

/// Value-axis ticks from ``Ticks/values(covering:_:targetCount:)``.
public struct ValueTicks: Sendable, Equatable {
    /// Where the axis starts and ends (the first and last tick).
    public var lower: Double
    public var upper: Double
    public var step: Double
    public var values: [Double]
    /// One label per value, with as many decimals as the step needs and no more.
    public var labels: [String]
}

/// Date-axis ticks from ``Ticks/dates(from:to:maxCount:)``.
public struct DateTicks: Sendable, Equatable {
    public var unit: DateTickUnit
    public var dates: [CivilDate]
    /// "Mar 4" for days and weeks, "Mar" or "Jan 2024" for months, "2024" for years; the first tick and
    /// any tick in a new year carry the year.
    public var labels: [String]
}

/// The spacing of date ticks.
public enum DateTickUnit: Sendable, Equatable {
    case days(Int), weeks(Int), months(Int), years(Int)

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The ticks inside `from…to`, nil as soon as there are more than `limit`.
    func ticks(from: CivilDate, to: CivilDate, limit: Int) -> [CivilDate]? {
        var out: [CivilDate] = []
        func add(_ d: CivilDate) -> Bool {
            guard d >= from && d <= to else { return true }
            out.append(d)
            return out.count <= limit
        }
        switch self {
        case .days(let n), .weeks(let n):
            let period = self == .days(n) ? n : 7 * n
            // Days are aligned to the epoch; weeks to Mondays (1970-01-05 was one).
            let anchor = self == .days(n) ? 0 : 4
            guard to.days(since: from) / period <= limit + 1 else { return nil }
            var day = Int(from.daysSinceEpoch)
            let offset = ((day - anchor) % period + period) % period
            if offset != 0 { day += period - offset }
            while day <= Int(to.daysSinceEpoch) {
                if !add(CivilDate(daysSinceEpoch: Int32(day))) { return nil }
                day += period
            }
        case .months(let n):
            guard ((to.year - from.year) * 12 + to.month - from.month) / n <= limit + 1 else { return nil }
            var (y, m) = (from.year, from.month)
            while y <= to.year {
                if (m - 1) % n == 0, let d = CivilDate(year: y, month: m, day: 1), !add(d) { return nil }
                m += 1
                if m > 12 { m = 1; y += 1 }
            }
        case .years(let n):
            guard (to.year - from.year) / n <= limit + 1 else { return nil }
            var y = (from.year + n - 1) / n * n
            while y <= to.year {
                if let d = CivilDate(year: y, month: 1, day: 1), !add(d) { return nil }
                y += n
            }
        }
        return out
    }

    func label(_ d: CivilDate, previous: CivilDate?) -> String {
        let (y, m, day) = d.components
        let newYear = previous.map { $0.year != y } ?? true
        let month = DateTickUnit.monthNames[m - 1]
        switch self {
        case .days, .weeks:
            return newYear ? "\(month) \(day), \(y)" : "\(month) \(day)"
        case .months:
            return newYear || m == 1 ? "\(month) \(y)" : month
        case .years:
            return String(y)
        }
    }
}
