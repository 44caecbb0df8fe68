import AugurCore
import Foundation
import Testing

@Suite struct CivilDateTests {
    /// Foundation's Gregorian calendar in UTC is the independent reference for the day arithmetic.
    @Test func componentsAgreeWithFoundationFrom1600To2380() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // From 1600 on: Foundation switches to the Julian calendar before October 1582.
        for day in stride(from: -135_000, through: 150_000, by: 97) {
            let d = CivilDate(daysSinceEpoch: Int32(day))
            let ref = calendar.dateComponents([.year, .month, .day, .weekday],
                                              from: Date(timeIntervalSince1970: Double(day) * 86_400))
            #expect(d.year == ref.year && d.month == ref.month && d.day == ref.day, "day \(day)")
            // Foundation: 1 = Sunday; ours: ISO, 7 = Sunday.
            #expect(d.weekday == (ref.weekday! + 5) % 7 + 1, "weekday of day \(day)")
            #expect(CivilDate(year: d.year, month: d.month, day: d.day) == d)
        }
    }

    @Test func rejectsDaysThatDoNotExist() {
        #expect(CivilDate(year: 2019, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2020, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2019, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2019, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2019, month: 1, day: 0) == nil)
    }

    @Test func isoTextAndArithmetic() {
        let d = CivilDate(year: 2019, month: 1, day: 2)!
        #expect(d.iso == "2019-01-02")
        #expect(d.weekday == 3)   // a Wednesday
        #expect(d.adding(days: 30).iso == "2019-02-01")
        #expect(CivilDate(year: 2019, month: 1, day: 31)!.adding(months: 1).iso == "2019-02-28")
        #expect(CivilDate(year: 2019, month: 11, day: 30)!.adding(months: 3).iso == "2020-02-29")
        #expect(CivilDate(iso: "1999-01-04")!.days(since: CivilDate(iso: "1999-01-01")!) == 3)
    }

    @Test func codableAsISOText() throws {
        let d = CivilDate(year: 2018, month: 12, day: 31)!
        let json = try JSONEncoder().encode([d])
        #expect(String(decoding: json, as: UTF8.self) == "[\"2018-12-31\"]")
        #expect(try JSONDecoder().decode([CivilDate].self, from: json) == [d])
    }
}

@Suite struct DateLayoutTests {
    func parse(_ s: String, _ layout: DateLayout) -> String? { layout.parse(Array(s.utf8))?.iso }

    @Test func parsesEachLayout() {
        #expect(parse("2019-01-02", .iso) == "2019-01-02")
        #expect(parse("2019/01/02", .iso) == "2019-01-02")
        #expect(parse(" 2019-1-2 ", .iso) == "2019-01-02")
        #expect(parse("20190102", .compact) == "2019-01-02")
        #expect(parse("02.01.2019", .dayMonthYear(separator: UInt8(ascii: "."))) == "2019-01-02")
        #expect(parse("01/02/2019", .monthDayYear(separator: UInt8(ascii: "/"))) == "2019-01-02")
    }

    @Test func refusesMalformedOrImpossibleDates() {
        for bad in ["2019-13-02", "2019-02-30", "19-01-02", "2019-01-02x", "2019-01", "", "2019--01-02", "abcd-ef-gh"] {
            #expect(parse(bad, .iso) == nil, "\(bad)")
        }
        #expect(parse("2019010", .compact) == nil)
        #expect(parse("32.01.2019", .dayMonthYear(separator: UInt8(ascii: "."))) == nil)
    }

    @Test func detectsAndReadsUserPatterns() {
        #expect(DateLayout.detect(Array("02.01.2019".utf8)) == .dayMonthYear(separator: UInt8(ascii: ".")))
        #expect(DateLayout.detect(Array("20190102".utf8)) == .compact)
        #expect(DateLayout.detect(Array("1/2/2019".utf8)) == .monthDayYear(separator: UInt8(ascii: "/")))
        #expect(DateLayout.detect(Array("1/2/2019".utf8), dayFirst: true) == .dayMonthYear(separator: UInt8(ascii: "/")))
        #expect(DateLayout.detect(Array("13/2/2019".utf8)) == .dayMonthYear(separator: UInt8(ascii: "/")))
        #expect(DateLayout(pattern: "%d.%m.%Y") == .dayMonthYear(separator: UInt8(ascii: ".")))
        #expect(DateLayout(pattern: "%m/%d/%Y") == .monthDayYear(separator: UInt8(ascii: "/")))
        #expect(DateLayout(pattern: "DD-MM-YYYY") == .dayMonthYear(separator: UInt8(ascii: "-")))
        #expect(DateLayout(pattern: "%Y%m%d") == .compact)
        #expect(DateLayout(pattern: "%Y-%m-%d") == .iso)
        #expect(DateLayout(pattern: "%H:%M") == nil)
    }
}

@Suite struct CalendarAndFrequencyTests {
    @Test func nextTradingDaysSkipWeekendsAndHolidays() {
        let friday = CivilDate(iso: "2018-12-28")!
        let cal = TradingCalendar(holidays: [CivilDate(iso: "2019-01-01")!])
        let next = cal.futureDates(after: friday, count: 3, frequency: .daily).map(\.iso)
        #expect(next == ["2018-12-31", "2019-01-02", "2019-01-03"])
    }

    @Test func monthlyDatesKeepTheDayOfMonth() {
        let d = CivilDate(iso: "1960-12-01")!
        #expect(TradingCalendar().futureDates(after: d, count: 2, frequency: .monthly).map(\.iso) == ["1961-01-01", "1961-02-01"])
    }

    @Test func detectsFrequencyFromDateGaps() {
        let start = CivilDate(iso: "2019-01-01")!
        #expect(Frequency.detect((0..<30).map { start.adding(days: $0 + $0 / 5 * 2) }) == .daily)
        #expect(Frequency.detect((0..<30).map { start.adding(days: 7 * $0) }) == .weekly)
        #expect(Frequency.detect((0..<30).map { start.adding(months: $0) }) == .monthly)
        #expect(Frequency.detect((0..<30).map { start.adding(months: 3 * $0) }) == .quarterly)
        #expect(Frequency.detect((0..<30).map { start.adding(months: 12 * $0) }) == .yearly)
        #expect(Frequency.detect([start]) == nil)
    }
}

@Suite struct SHA256Tests {
    func hex(_ s: String) -> String {
        var h = SHA256()
        h.update(Array(s.utf8))
        return h.finalizeHex()
    }

    /// FIPS 180-4 example vectors.
    @Test func knownVectors() {
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func chunkingDoesNotChangeTheDigest() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var whole = SHA256()
        whole.update(data)
        var pieces = SHA256()
        var i = 0
        for size in [1, 63, 64, 65, 127, 1000, 3] where i < data.count {
            pieces.update(Array(data[i..<min(data.count, i + size)]))
            i += size
        }
        pieces.update(Array(data[i...]))
        #expect(whole.finalizeHex() == pieces.finalizeHex())
    }
}
