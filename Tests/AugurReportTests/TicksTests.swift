import AugurCore
import AugurReport
import Testing

@Suite struct TicksTests {
    @Test func roundStepsCoverTheRange() {
        let t = Ticks.values(covering: 3.2, 97.5)
        #expect(t.values == [0, 20, 40, 60, 80, 100])
        #expect(t.labels == ["0", "20", "40", "60", "80", "100"])
        #expect(t.lower <= 3.2 && t.upper >= 97.5)
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (low, high) in [(0.0, 1.0), (2351.1, 2930.75), (-7.3, 12.9), (1e-7, 3e-7), (17.0, 18.0), (0.0, 1e6)] {
            let t = Ticks.values(covering: low, high)
            var m = t.step
            while m >= 10 { m /= 10 }
            while m < 1 { m *= 10 }
            #expect([1.0, 2.0, 5.0].contains { abs($0 - m) < 1e-9 }, "step \(t.step) for \(low)…\(high)")
            #expect(t.lower <= low && t.upper >= high)
            #expect((3...8).contains(t.values.count), "\(t.values.count) ticks for \(low)…\(high)")
        }
    }

    @Test func tiesPreferTheTighterAxis() {
        #expect(Ticks.values(covering: -5, 5).values == [-5, 0, 5])
    }

    @Test func tinyRangeGetsEnoughDecimals() {
        let t = Ticks.values(covering: 1.00001, 1.00004)
        #expect(t.step == 0.00001)
        #expect(t.labels.first == "1.00001")
        #expect(t.labels.last == "1.00004")
        #expect(Set(t.labels).count == t.labels.count)
    }

    @Test func hugeValuesAreGroupedOrScientific() {
        let t = Ticks.values(covering: 1_234_567, 9_876_543)
        #expect(t.labels == ["0", "2,000,000", "4,000,000", "6,000,000", "8,000,000", "10,000,000"])
        let h = Ticks.values(covering: 2e17, 9e17)
        #expect(h.labels.first == "2.00e+17")
        #expect(h.labels.allSatisfy { $0.contains("e+17") || $0.contains("e+18") })
    }

    @Test func negativeRange() {
        let t = Ticks.values(covering: -143.2, -12.5)
        #expect(t.values == [-150, -100, -50, 0])
        #expect(t.labels.first == "-150")
        let straddle = Ticks.values(covering: -0.35, 0.8)
        #expect(straddle.values.contains(0))
        #expect(straddle.labels.contains("0") && straddle.labels.contains("-0.5"))
    }

    @Test func singleValueAndFlatSeriesGetAVisibleRange() {
        let flat = Ticks.values(covering: 100, 100)
        #expect(flat.lower < 100 && flat.upper > 100)
        #expect(flat.values.count >= 3)
        #expect(flat.labels == ["99.0", "99.5", "100.0", "100.5", "101.0"])
        let zero = Ticks.values(covering: 0, 0)
        #expect(zero.lower == -1 && zero.upper == 1)
        let nan = Ticks.values(covering: .nan, 3)
        #expect(nan.lower == 0 && nan.upper == 1)
    }

    @Test func dateTicksOverAWeekAreDays() {
        let t = Ticks.dates(from: CivilDate(iso: "2024-03-04")!, to: CivilDate(iso: "2024-03-08")!)
        #expect(t.unit == .days(1))
        #expect(t.labels == ["Mar 4, 2024", "Mar 5", "Mar 6", "Mar 7", "Mar 8"])
    }

    @Test func dateTicksOverAYearAreMonthsOrQuarters() {
        let t = Ticks.dates(from: CivilDate(iso: "2023-01-15")!, to: CivilDate(iso: "2024-01-10")!)
        #expect(t.unit == .months(3))
        #expect(t.labels == ["Apr 2023", "Jul", "Oct", "Jan 2024"])
        let wide = Ticks.dates(from: CivilDate(iso: "2023-01-15")!, to: CivilDate(iso: "2024-01-10")!, maxCount: 12)
        #expect(wide.unit == .months(1))
        #expect(wide.dates.allSatisfy { $0.day == 1 })
    }

    @Test func monthsAcrossAYearBoundaryCountByMonthNotYear() {
        let t = Ticks.dates(from: CivilDate(iso: "2018-07-09")!, to: CivilDate(iso: "2019-01-28")!, maxCount: 8)
        #expect(t.unit == .months(1))
        #expect(t.labels == ["Aug 2018", "Sep", "Oct", "Nov", "Dec", "Jan 2019"])
    }

    @Test func dateTicksOverTwentyYearsAreYears() {
        let t = Ticks.dates(from: CivilDate(iso: "1999-01-04")!, to: CivilDate(iso: "2018-12-31")!)
        #expect(t.unit == .years(5))
        #expect(t.labels == ["2000", "2005", "2010", "2015"])
        let century = Ticks.dates(from: CivilDate(iso: "1900-01-01")!, to: CivilDate(iso: "2020-01-01")!)
        #expect(century.dates.count <= 7 && century.dates.count >= 2)
    }

    @Test func dateTicksThinOutAsTheSpanGrows() {
        let start = CivilDate(iso: "2000-01-03")!
        var previous = 0
        for days in [6, 30, 120, 400, 1500, 7300, 36500] {
            let t = Ticks.dates(from: start, to: start.adding(days: days), maxCount: 7)
            #expect(t.dates.count <= 7 && t.dates.count >= 2, "\(days) days: \(t.labels)")
            let spacing = t.dates.count > 1 ? t.dates[1].days(since: t.dates[0]) : 0
            #expect(spacing >= previous, "\(days) days")
            previous = spacing
        }
    }
}
