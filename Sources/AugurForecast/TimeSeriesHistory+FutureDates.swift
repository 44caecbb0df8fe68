import AugurCore

extension TimeSeriesHistory {
    /// The dates of the `count` targets after the last observation: trading days for daily data (weekends
    /// and `calendar`'s holidays skipped), every calendar day for a daily series observed at weekends,
    /// calendar steps for coarser data. Empty when the history has no dates or no frequency, since a
    /// target date cannot then be known.
    public func futureDates(count: Int, calendar: TradingCalendar = TradingCalendar()) -> [CivilDate] {
        guard let last = dates.last, let frequency, count > 0 else { return [] }
        return calendar.futureDates(after: last, count: count, frequency: frequency,
                                    everyDay: frequency == .daily && Self.observedAtWeekends(dates))
    }

    /// Whether a daily series is kept on every day: at least two weekend dates among its last 28.
    public static func observedAtWeekends(_ dates: [CivilDate]) -> Bool {
        dates.suffix(28).filter { $0.weekday >= 6 }.count >= 2
    }
}
