import AugurCore
@testable import AugurIngest
import AugurTestSupport
import Testing

/// Reads every bundled file in full and checks counts, ranges and a row whose values are known.
func readAll(_ path: String, _ options: ImportOptions = ImportOptions()) throws -> (ReadSummary, [Bar]) {
    var bars: [Bar] = []
    let reader = BarReader(path: path, options: options)
    reader.batchSize = 1000   // several batches even for the small files
    let summary = try reader.read(onBatch: { bars += $0 })
    return (summary, bars)
}

@Suite struct RealFileTests {
    @Test func yahoo() throws {
        let (s, bars) = try readAll(Fixtures.data("sp500_daily.csv"))
        #expect(s.format == .yahoo)
        #expect(s.rowsRead == 5031 && s.rowsValid == 5031 && s.rejected == 0)
        #expect(bars.count == 5031)
        #expect(bars.first?.date.iso == "1999-01-04" && bars.last?.date.iso == "2018-12-31")
        // Last line of the file: 2018-12-31,2498.939941,2509.23999,2482.820068,2506.850098,2506.850098,3442870000
        let last = try #require(bars.last)
        #expect(last.open == 2498.939941 && last.high == 2509.23999 && last.low == 2482.820068)
        #expect(last.close == 2506.850098 && last.adjClose == 2506.850098 && last.volume == 3_442_870_000)
    }

    @Test func stooqHasNoAdjustedClose() throws {
        let (s, bars) = try readAll(Fixtures.data("sp500_daily_stooq.csv"))
        #expect(s.format == .stooq && s.rowsValid == 5031)
        #expect(bars.allSatisfy { $0.adjClose == nil && $0.volume != nil })
        #expect(bars.last?.close == 2506.850098)
    }

    @Test func europeanSemicolonDecimalCommaDayFirst() throws {
        let (s, bars) = try readAll(Fixtures.data("sp500_daily_eu.csv"))
        #expect(s.format == .european && s.delimiter == UInt8(ascii: ";") && s.decimalComma)
        #expect(s.dateLayout == .dayMonthYear(separator: UInt8(ascii: ".")))
        #expect(bars.count == 5031)
        #expect(bars.first?.date.iso == "1999-01-04")
        // 31.12.2018;2506,85 — the Yahoo close 2506.850098 rounded to 2 dp.
        #expect(bars.last?.close == 2506.85)
        #expect(bars.allSatisfy { $0.open == nil && $0.volume == nil })
    }

    @Test func genericCloseOnlyAndDateValue() throws {
        let (vix, vixBars) = try readAll(Fixtures.data("vix_daily.csv"))
        #expect(vix.format == .generic && vixBars.count == 1259)
        let (air, airBars) = try readAll(Fixtures.data("airline_passengers_monthly.csv"))
        #expect(air.format == .generic && airBars.count == 144)
        #expect(airBars.first?.close == 112 && airBars.first?.date.iso == "1949-01-01")
        #expect(airBars.last?.close == 432 && airBars.last?.date.iso == "1960-12-01")
    }

    @Test func digestMatchesTheFileBytes() throws {
        let (s, _) = try readAll(Fixtures.data("airline_passengers_monthly.csv"))
        // Independent reference: the digest of the same bytes computed in one piece.
        var h = SHA256()
        let bytes = try #require(FileManagerBytes.read(Fixtures.data("airline_passengers_monthly.csv")))
        h.update(bytes)
        #expect(s.sha256 == h.finalizeHex())
        #expect(s.bytes == bytes.count)
    }
}

import Foundation
enum FileManagerBytes {
    static func read(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }
}

/// Files with thousands separators, as spreadsheets and brokers export them: a European file
/// (semicolons, decimal comma, points between thousands, volume too) and a US one whose numbers
/// are quoted because they hold commas. Both read to the same bars.
@Suite struct ThousandsSeparatorFileTests {
    let dir = Fixtures.temporaryDirectory("augur-thousands")

    @Test func europeanAndQuotedUSFilesReadTheSameBars() throws {
        defer { Fixtures.cleanUp(dir) }
        let european = Fixtures.write("""
            Datum;Eröffnung;Hoch;Tief;Schluss;Volumen
            02.01.2019;12.000,50;12.100,00;11.950,25;12.050,75;1.234.567
            03.01.2019;12.050,75;12.075,00;11.800,00;11.812,40;987.654
            04.01.2019;11.812,40;1.012.000,00;11.700,00;11.990,00;2.000.000

            """, named: "dax_like.csv", in: dir)
        let us = Fixtures.write("""
            Date,Open,High,Low,Close,Volume
            2019-01-02,"12,000.50","12,100.00","11,950.25","12,050.75","1,234,567"
            2019-01-03,"12,050.75","12,075.00","11,800.00","11,812.40","987,654"
            2019-01-04,"11,812.40","1,012,000.00","11,700.00","11,990.00","2,000,000"

            """, named: "us_quoted.csv", in: dir)
        let (se, eu) = try readAll(european)
        let (su, usBars) = try readAll(us)
        #expect(se.rejected == 0 && su.rejected == 0)
        #expect(se.decimalComma && !su.decimalComma)
        #expect(eu.count == 3 && eu == usBars)
        #expect(eu.first?.open == 12000.5 && eu.first?.close == 12050.75 && eu.first?.volume == 1_234_567)
        #expect(eu.last?.high == 1_012_000)
        // --decimal-comma given explicitly reads the European file the same way.
        var options = ImportOptions()
        options.decimalComma = true
        #expect(try readAll(european, options).1 == eu)
    }

    @Test func misplacedSeparatorsAreRejectedWithTheirRow() throws {
        defer { Fixtures.cleanUp(dir) }
        let bad = Fixtures.write("""
            Date,Close
            2019-01-02,"12,000.50"
            2019-01-03,"1,20,000.00"

            """, named: "bad.csv", in: dir)
        let (summary, bars) = try readAll(bad)
        #expect(bars.count == 1 && summary.rejected == 1)
        let why = summary.firstRejections.map { "\($0)" }.joined()
        #expect(why.contains("bad.csv:3") && why.contains("1,20,000.00"), "\(why)")
    }
}
