// The built-in exchange calendars against the holiday lists the exchanges published (NYSE's
// holidays page, the UK government's bank-holiday list, Deutsche Börse's and Euronext's trading
// calendars, JPX's market holidays), including the years where a rule bends.

import Testing
@testable import AugurCore

private func dates(_ year: Int, _ days: [String]) -> Set<CivilDate> {
    Set(days.map { CivilDate(iso: "\(year)-\($0)")! })
}

@Test(arguments: [
    (ExchangeCalendar.nyse, 2019, ["01-01", "01-21", "02-18", "04-19", "05-27", "07-04", "09-02", "11-28", "12-25"]),
    // New Year's Day 2022 fell on a Saturday: not observed; Juneteenth and Christmas observed on Monday.
    (.nyse, 2022, ["01-17", "02-21", "04-15", "05-30", "06-20", "07-04", "09-05", "11-24", "12-26"]),
    (.nyse, 2025, ["01-01", "01-09", "01-20", "02-17", "04-18", "05-26", "06-19", "07-04", "09-01", "11-27", "12-25"]),
    (.nyse, 2026, ["01-01", "01-19", "02-16", "04-03", "05-25", "06-19", "07-03", "09-07", "11-26", "12-25"]),
    (.nyse, 2001, ["01-01", "01-15", "02-19", "04-13", "05-28", "07-04", "09-03", "09-11", "09-12", "09-13", "09-14", "11-22",
                   "12-25"]),
    (.nasdaq, 2019, ["01-01", "01-21", "02-18", "04-19", "05-27", "07-04", "09-02", "11-28", "12-25"]),
    (.lse, 2024, ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"]),
    // 2022: New Year substitute, the Platinum Jubilee's moved and extra days, the Queen's funeral,
    // Christmas on a Sunday (substitute on Tuesday).
    (.lse, 2022, ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"]),
    (.lse, 2020, ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"]),
    (.xetra, 2024, ["01-01", "03-29", "04-01", "05-01", "12-24", "12-25", "12-26", "12-31"]),
    (.euronext, 2024, ["01-01", "03-29", "04-01", "05-01", "12-25", "12-26"]),
    (.tse, 2024, ["01-01", "01-02", "01-03", "01-08", "02-12", "02-23", "03-20", "04-29", "05-03", "05-06", "07-15",
                  "08-12", "09-16", "09-23", "10-14", "11-04", "12-31"]),
    // 2019: the abdication and enthronement holidays, and substitutes for four Sunday holidays.
    (.tse, 2019, ["01-01", "01-02", "01-03", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03",
                  "05-06", "07-15", "08-12", "09-16", "09-23", "10-14", "10-22", "11-04", "12-31"]),
    // 2021: the Olympics moved three holidays; Mountain Day on a Sunday gives Monday 9 August.
    (.tse, 2021, ["01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "07-22", "07-23",
                  "08-09", "09-20", "09-23", "11-03", "11-23", "12-31"]),
])
func exchangeHolidaysMatchThePublishedLists(exchange: ExchangeCalendar, year: Int, published: [String]) {
    let computed = Set(exchange.holidays(year: year).keys)
    let expected = dates(year, published).filter { !$0.isWeekend }
    #expect(computed == expected, """
        \(exchange) \(year): missing \(expected.subtracting(computed).sorted()), extra \(computed.subtracting(expected).sorted())
        """)
}

@Test func japanGivesACitizensHolidayBetweenTwoHolidays() {
    // 2026: Respect for the Aged Day (21 Sep), the citizens' holiday, the autumnal equinox (23 Sep).
    let h = ExchangeCalendar.tse.holidays(year: 2026)
    #expect(h[CivilDate(iso: "2026-09-21")!] == "Respect for the Aged Day")
    #expect(h[CivilDate(iso: "2026-09-22")!] == "Citizens' holiday")
    #expect(h[CivilDate(iso: "2026-09-23")!] == "Autumnal Equinox Day")
}

@Test func easterSundaysAreTheChurchCalendars() {
    for (year, iso) in [(2000, "2000-04-23"), (2019, "2019-04-21"), (2024, "2024-03-31"), (2025, "2025-04-20"),
                        (2038, "2038-04-25"), (1818, "1818-03-22")] {
        #expect(CivilDate.easterSunday(year: year) == CivilDate(iso: iso)!, "\(year)")
    }
}

@Test func aCalendarSkipsItsHolidaysAndSaysWhatItSkips() {
    let last = CivilDate(iso: "2018-12-31")!
    let weekendsOnly = TradingCalendar()
    #expect(weekendsOnly.futureDates(after: last, count: 2, frequency: .daily).map(\.iso) == ["2019-01-01", "2019-01-02"])
    #expect(weekendsOnly.summary == "weekends only")
    let nyse = TradingCalendar(exchange: .nyse)
    #expect(nyse.futureDates(after: last, count: 2, frequency: .daily).map(\.iso) == ["2019-01-02", "2019-01-03"])
    #expect(nyse.summary == "NYSE holidays and weekends")
    let both = TradingCalendar(exchange: .lse, holidays: [CivilDate(iso: "2024-01-02")!])
    #expect(both.futureDates(after: CivilDate(iso: "2023-12-29")!, count: 1, frequency: .daily).map(\.iso) == ["2024-01-03"])
    #expect(both.summary == "LSE holidays, 1 listed holidays and weekends")
    #expect(ExchangeCalendar(name: "Xetra") == .xetra)
    #expect(ExchangeCalendar(name: "NYMEX") == nil)
}
