/// The holiday rules of the exchanges whose series users import most: the days a market is
/// closed on a weekday, so that forecast dates skip them.
///
/// The rules are the exchanges' current ones (observance of weekend holidays, moved and extra
/// bank holidays, Japan's substitute and "sandwiched" holidays, the equinoxes), with the one-off
/// closures each exchange announced since 1990 (national days of mourning, 9/11, hurricane Sandy,
/// royal occasions). Early closes (half days) are trading days. Years before a holiday existed
/// follow that year's rules where they changed (MLK Day from 1998, Juneteenth from 2022, Japan's
/// Monday holidays from 2000 and 2003, Mountain Day from 2016, the Emperor's Birthday).
public enum ExchangeCalendar: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// New York Stock Exchange.
    case nyse
    /// Nasdaq (the NYSE's holidays).
    case nasdaq
    /// London Stock Exchange (England and Wales bank holidays).
    case lse
    /// Deutsche Börse Xetra (Frankfurt).
    case xetra
    /// Euronext (Paris, Amsterdam, Brussels, Lisbon, Dublin, Milan, Oslo).
    case euronext
    /// Tokyo Stock Exchange (Japan Exchange Group).
    case tse

    public var description: String { rawValue.uppercased() }

    /// "NYSE", "nyse", "Xetra"… (case-insensitive); nil for an unknown name.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// Whether the exchange is closed on `date` for a holiday (weekends aside).
    public func isHoliday(_ date: CivilDate) -> Bool {
        holidays(year: date.year)[date] != nil
    }

    /// The weekday closures of `year`, each with its name.
    public func holidays(year: Int) -> [CivilDate: String] {
        var out: [CivilDate: String] = [:]
        func add(_ d: CivilDate?, _ name: String) {
            guard let d, !d.isWeekend, d.year == year else { return }
            out[d] = out[d] ?? name
        }
        let easter = CivilDate.easterSunday(year: year)
        switch self {
        case .nyse, .nasdaq:
            // New Year's Day on a Sunday moves to Monday; on a Saturday it is not observed.
            let newYear = CivilDate(year: year, month: 1, day: 1)!
            add(newYear.weekday == 7 ? newYear.adding(days: 1) : newYear, "New Year's Day")
            if year >= 1998 { add(.nth(3, .monday, month: 1, year: year), "Martin Luther King Jr. Day") }
            add(.nth(3, .monday, month: 2, year: year), "Washington's Birthday")
            add(easter.adding(days: -2), "Good Friday")
            add(.last(.monday, month: 5, year: year), "Memorial Day")
            if year >= 2022 { add(CivilDate(year: year, month: 6, day: 19)!.observedUS, "Juneteenth") }
            add(CivilDate(year: year, month: 7, day: 4)!.observedUS, "Independence Day")
            add(.nth(1, .monday, month: 9, year: year), "Labor Day")
            add(.nth(4, .thursday, month: 11, year: year), "Thanksgiving Day")
            add(CivilDate(year: year, month: 12, day: 25)!.observedUS, "Christmas Day")
            for (iso, name) in Self.nyseClosures where iso.hasPrefix(String(year)) { add(CivilDate(iso: iso), name) }
        case .lse:
            add(CivilDate(year: year, month: 1, day: 1)!.nextWeekday, "New Year's Day")
            add(easter.adding(days: -2), "Good Friday")
            add(easter.adding(days: 1), "Easter Monday")
            switch year {
            case 1995: add(CivilDate(year: 1995, month: 5, day: 8), "Early May bank holiday (VE Day)")
            case 2020: add(CivilDate(year: 2020, month: 5, day: 8), "Early May bank holiday (VE Day)")
            default: add(.nth(1, .monday, month: 5, year: year), "Early May bank holiday")
            }
            switch year {
            case 2002: add(CivilDate(year: 2002, month: 6, day: 4), "Spring bank holiday")
            case 2012: add(CivilDate(year: 2012, month: 6, day: 4), "Spring bank holiday")
            case 2022: add(CivilDate(year: 2022, month: 6, day: 2), "Spring bank holiday")
            default: add(.last(.monday, month: 5, year: year), "Spring bank holiday")
            }
            add(.last(.monday, month: 8, year: year), "Summer bank holiday")
            // Christmas and Boxing Day falling on a weekend move to the next free weekdays.
            let christmas = CivilDate(year: year, month: 12, day: 25)!
            let christmasObserved = christmas.nextWeekday
            var boxing = christmas.adding(days: 1).nextWeekday
            if boxing == christmasObserved { boxing = boxing.adding(days: 1).nextWeekday }
            add(christmasObserved, "Christmas Day")
            add(boxing, "Boxing Day")
            for (iso, name) in Self.lseClosures where iso.hasPrefix(String(year)) { add(CivilDate(iso: iso), name) }
        case .xetra, .euronext:
            // The continental exchanges' common closures; Xetra also closes on the two eves.
            add(CivilDate(year: year, month: 1, day: 1), "New Year's Day")
            add(easter.adding(days: -2), "Good Friday")
            add(easter.adding(days: 1), "Easter Monday")
            add(CivilDate(year: year, month: 5, day: 1), "Labour Day")
            add(CivilDate(year: year, month: 12, day: 25), "Christmas Day")
            add(CivilDate(year: year, month: 12, day: 26), "Boxing Day")
            if self == .xetra {
                add(CivilDate(year: year, month: 12, day: 24), "Christmas Eve")
                add(CivilDate(year: year, month: 12, day: 31), "New Year's Eve")
            }
        case .tse:
            for (d, name) in Self.japaneseHolidays(year: year) { add(d, name) }
            // The exchange also closes for the year-end and New Year holidays.
            for day in 1...3 { add(CivilDate(year: year, month: 1, day: day), "New Year holidays") }
            add(CivilDate(year: year, month: 12, day: 31), "Year-end holiday")
        }
        return out
    }

    /// NYSE closures beyond the rules (national days of mourning, emergencies).
    static let nyseClosures: [(String, String)] = [
        ("1994-04-27", "National Day of Mourning (Richard Nixon)"),
        ("2001-09-11", "September 11 attacks"), ("2001-09-12", "September 11 attacks"),
        ("2001-09-13", "September 11 attacks"), ("2001-09-14", "September 11 attacks"),
        ("2004-06-11", "National Day of Mourning (Ronald Reagan)"),
        ("2007-01-02", "National Day of Mourning (Gerald Ford)"),
        ("2012-10-29", "Hurricane Sandy"), ("2012-10-30", "Hurricane Sandy"),
        ("2018-12-05", "National Day of Mourning (George H. W. Bush)"),
        ("2025-01-09", "National Day of Mourning (Jimmy Carter)"),
    ]

    /// UK bank holidays given for one year only.
    static let lseClosures: [(String, String)] = [
        ("1999-12-31", "Millennium"),
        ("2002-06-03", "Golden Jubilee"),
        ("2011-04-29", "Royal wedding"),
        ("2012-06-05", "Diamond Jubilee"),
        ("2022-06-03", "Platinum Jubilee"),
        ("2022-09-19", "State funeral of Queen Elizabeth II"),
        ("2023-05-08", "Coronation of King Charles III"),
    ]

    /// Japan's national holidays of `year` (Act on National Holidays, as amended), with the
    /// substitute holiday (a holiday on a Sunday moves to the next day that is not one) and the
    /// citizens' holiday (a weekday between two holidays).
    static func japaneseHolidays(year y: Int) -> [CivilDate: String] {
        var h: [CivilDate: String] = [:]
        func add(_ m: Int, _ d: Int, _ name: String) { h[CivilDate(year: y, month: m, day: d)!] = name }
        func add(_ d: CivilDate, _ name: String) { h[d] = name }
        add(1, 1, "New Year's Day")
        if y >= 2000 { add(.nth(2, .monday, month: 1, year: y), "Coming of Age Day") } else { add(1, 15, "Coming of Age Day") }
        add(2, 11, "National Foundation Day")
        if y >= 2020 { add(2, 23, "Emperor's Birthday") }
        add(3, equinoxDay(year: y, vernal: true), "Vernal Equinox Day")
        add(4, 29, y >= 2007 ? "Showa Day" : "Greenery Day")
        add(5, 3, "Constitution Memorial Day")
        if y >= 2007 { add(5, 4, "Greenery Day") }
        add(5, 5, "Children's Day")
        switch y {
        case 2020: add(7, 23, "Marine Day")
        case 2021: add(7, 22, "Marine Day")
        default:
            if y >= 2003 { add(.nth(3, .monday, month: 7, year: y), "Marine Day") } else if y >= 1996 { add(7, 20, "Marine Day") }
        }
        switch y {
        case 2020: add(8, 10, "Mountain Day")
        case 2021: add(8, 8, "Mountain Day")
        default: if y >= 2016 { add(8, 11, "Mountain Day") }
        }
        if y >= 2003 { add(.nth(3, .monday, month: 9, year: y), "Respect for the Aged Day") } else { add(9, 15, "Respect for the Aged Day") }
        add(9, equinoxDay(year: y, vernal: false), "Autumnal Equinox Day")
        switch y {
        case 2020: add(7, 24, "Sports Day")
        case 2021: add(7, 23, "Sports Day")
        default: if y >= 2000 { add(.nth(2, .monday, month: 10, year: y), "Sports Day") } else { add(10, 10, "Health and Sports Day") }
        }
        add(11, 3, "Culture Day")
        add(11, 23, "Labour Thanksgiving Day")
        if (1989...2018).contains(y) { add(12, 23, "Emperor's Birthday") }
        if y == 2019 {
            add(4, 30, "National holiday (abdication)")
            add(5, 1, "Enthronement Day")
            add(5, 2, "National holiday (enthronement)")
            add(10, 22, "Enthronement ceremony")
        }
        // Citizens' holiday: a day between two holidays (after 1985), e.g. 22 September 2026.
        for d in h.keys.sorted() where h[d.adding(days: 2)] != nil && h[d.adding(days: 1)] == nil
            && d.adding(days: 1).weekday != 7 {
            h[d.adding(days: 1)] = "Citizens' holiday"
        }
        // Substitute holiday: a holiday on a Sunday moves to the next day that is not a holiday.
        for d in h.keys.sorted() where d.weekday == 7 {
            var next = d.adding(days: 1)
            while h[next] != nil { next = next.adding(days: 1) }
            h[next] = "Substitute holiday"
        }
        return h
    }

    /// The day in March (vernal) or September (autumnal) of Japan's equinox holiday, by the
    /// formula the National Astronomical Observatory's announcements follow for 1980–2099.
    static func equinoxDay(year y: Int, vernal: Bool) -> Int {
        let base = vernal ? 20.8431 : 23.2488
        return Int(base + 0.242194 * Double(y - 1980)) - (y - 1980) / 4
    }
}

extension CivilDate {
    /// Easter Sunday of `year` (Gregorian; the anonymous algorithm of Meeus, Jones and Butcher).
    public static func easterSunday(year y: Int) -> CivilDate {
        let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: y, month: month, day: day)!
    }

    public enum Weekday: Int, Sendable { case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday }

    /// The n-th `weekday` of a month (n ≥ 1).
    static func nth(_ n: Int, _ weekday: Weekday, month: Int, year: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)!
        let offset = (weekday.rawValue - first.weekday + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }

    /// The last `weekday` of a month.
    static func last(_ weekday: Weekday, month: Int, year: Int) -> CivilDate {
        let last = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!
        return last.adding(days: -((last.weekday - weekday.rawValue + 7) % 7))
    }

    /// The US federal observance: a Saturday holiday is observed on Friday, a Sunday one on Monday.
    var observedUS: CivilDate {
        switch weekday {
        case 6: adding(days: -1)
        case 7: adding(days: 1)
        default: self
        }
    }

    /// This day, or the Monday after it when it falls on a weekend.
    var nextWeekday: CivilDate {
        switch weekday {
        case 6: adding(days: 2)
        case 7: adding(days: 1)
        default: self
        }
    }
}
