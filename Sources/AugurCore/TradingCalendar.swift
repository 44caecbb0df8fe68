/// Business days for daily market data: weekends are skipped, and so are the holidays given.
public struct TradingCalendar: Sendable {
    public var holidays: Set<CivilDate>

    public init(holidays: Set<CivilDate> = []) { self.holidays = holidays }

    public func isTradingDay(_ d: CivilDate) -> Bool { !d.isWeekend && !holidays.contains(d) }

    /// The first trading day strictly after `d`.
    public func nextTradingDay(after d: CivilDate) -> CivilDate {
        var n = d.adding(days: 1)
        while !isTradingDay(n) { n = n.adding(days: 1) }
        return n
    }

    /// The `count` dates that follow `last` at the given frequency: trading days for daily data,
    /// the same weekday for weekly, the same day-of-month (clamped) for monthly and coarser.
    /// `everyDay`: a daily series observed on every calendar day (a temperature, a crypto price) steps
    /// by calendar days, weekends and holidays included.
    public func futureDates(after last: CivilDate, count: Int, frequency: Frequency, everyDay: Bool = false) -> [CivilDate] {
        var out: [CivilDate] = []
        out.reserveCapacity(count)
        var d = last
        for k in 1...max(count, 1) where k <= count {
            switch frequency {
            case .daily: d = everyDay ? d.adding(days: 1) : nextTradingDay(after: d)
            case .weekly: d = d.adding(days: 7)
            case .monthly: d = last.adding(months: k)
            case .quarterly: d = last.adding(months: 3 * k)
            case .yearly: d = last.adding(months: 12 * k)
            }
            out.append(d)
        }
        return out
    }
}
