/// Business days for daily market data: weekends are skipped, and so are an exchange's holidays
/// (when the symbol has one) and the extra holidays given (`--holidays FILE`).
public struct TradingCalendar: Sendable {
    public var exchange: ExchangeCalendar?
    public var holidays: Set<CivilDate>

    public init(exchange: ExchangeCalendar? = nil, holidays: Set<CivilDate> = []) {
        self.exchange = exchange
        self.holidays = holidays
    }

    public func isTradingDay(_ d: CivilDate) -> Bool {
        !d.isWeekend && !holidays.contains(d) && !(exchange?.isHoliday(d) ?? false)
    }

    /// What the forecast dates skip, in words: "NYSE holidays and weekends", "weekends and 3
    /// listed holidays", "weekends only".
    public var summary: String {
        switch (exchange, holidays.isEmpty) {
        case (let e?, true): "\(e) holidays and weekends"
        case (let e?, false): "\(e) holidays, \(holidays.count) listed holidays and weekends"
        case (nil, false): "weekends and \(holidays.count) listed holidays"
        case (nil, true): "weekends only"
        }
    }

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
