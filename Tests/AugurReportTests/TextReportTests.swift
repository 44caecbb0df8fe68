import AugurCore
import AugurForecast
import AugurReport
import Foundation
import Testing

@Suite struct TextReportTests {
    @Test func linesFitEightyColumns() throws {
        for report in [ReportFixtures.small(), try ReportFixtures.sp500Report(),
                       ReportFixtures.small(symbol: String(repeating: "LONGNAME", count: 20))] {
            let text = TextReport.render(report)
            for line in text.split(separator: "\n") {
                #expect(line.count <= 80, "\(line.count): \(line)")
            }
        }
    }

    @Test func verdictComparesEachHorizonWithNaive() {
        let sentence = VerdictText.sentence(for: ReportFixtures.small())
        #expect(sentence == "lstm vs naive: worse at h=1 (MASE 1.745 vs 1.729, +0.9%), "
                + "better at h=5 (MASE 3.640 vs 3.697, -1.5%); better at 1 of 2 horizons.")
        var relativeOnly = ReportFixtures.small()
        relativeOnly.backtest = [BacktestScore(model: .lstm, horizon: 1, count: 0, values: [.relativeMAE: 0.97])]
        relativeOnly.verdict = Verdict.judge(.lstm, in: relativeOnly.backtest)
        #expect(VerdictText.sentence(for: relativeOnly) == "lstm vs naive: better at h=1 (rel. MAE 0.970, -3.0%); better at 1 of 1 horizon.")
        var none = ReportFixtures.small()
        none.verdict = nil
        #expect(VerdictText.sentence(for: none) == "lstm has no backtest, so there is no verdict against naive.")
    }

    @Test func sparklineScalesBetweenMinAndMax() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([3, 3, 3]) == "▄▄▄")
        #expect(Sparkline.render([]) == "")
    }

    @Test func numbersAreFormattedWithoutLocale() {
        #expect(NumberFormat.fixed(1234.5, decimals: 2) == "1234.50")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(2.675, decimals: 2) == "2.67" || NumberFormat.fixed(2.675, decimals: 2) == "2.68")
        #expect(NumberFormat.grouped(-1234567.891, decimals: 1) == "-1,234,567.9")
        #expect(NumberFormat.fixed(.nan, decimals: 2) == "–")
        #expect(NumberFormat.scientific(0.000123, digits: 4) == "1.230e-4")
        #expect(NumberFormat.signedPercent(0.009) == "+0.9%")
    }

    /// A forecast table's decimals resolve its intervals to two significant digits, so a rate near 0.001
    /// does not print as 0.00 and an index near 2,500 keeps its cents.
    @Test func decimalsFollowTheIntervalsWidth() {
        #expect(NumberFormat.decimals(resolving: 30) == 2)
        #expect(NumberFormat.decimals(resolving: 0.3) == 2)
        #expect(NumberFormat.decimals(resolving: 0.06) == 3)
        #expect(NumberFormat.decimals(resolving: 0.0001) == 5)
        #expect(NumberFormat.decimals(resolving: 0.00099) == 5)
        #expect(NumberFormat.decimals(resolving: 1e-14) == 10 && NumberFormat.decimals(resolving: 0) == 2)
        let d = CivilDate(iso: "2020-01-01")!
        let rate = [ForecastStep(date: d, horizon: 1, point: 0.001115, lower80: 0.00105, upper80: 0.00118, lower95: nil, upper95: nil),
                    ForecastStep(date: d, horizon: 2, point: 0.001115, lower80: 0.001018, upper80: 0.001212, lower95: nil, upper95: nil)]
        // Half-widths 0.000065 and 0.000097; the median (the upper of two) 9.7e-5 needs 6 decimals.
        #expect(NumberFormat.decimals(for: rate) == 6)
        #expect(NumberFormat.price(0.001115, decimals: 6) == "0.001115")
        let bare = [ForecastStep(date: d, horizon: 1, point: 2506.85, lower80: nil, upper80: nil, lower95: nil, upper95: nil)]
        #expect(NumberFormat.decimals(for: bare) == 2)   // no interval: a hundredth of the value, 25
    }

    @Test func formatsParseFromTheCommandLine() {
        #expect(ReportFormats(argument: "all") == .all)
        #expect(ReportFormats(argument: "txt,svg") == [.text, .svg])
        #expect(ReportFormats(argument: "pdf") == nil)
        let files = ReportWriter.files(for: ReportFixtures.small(), formats: [.markdown])
        #expect(files.map(\.relativePath) == ["TEST/report.md"])
        #expect(!files[0].contents.contains(".svg"), "no links to charts that were not written")
        let all = ReportWriter.files(for: ReportFixtures.small(), formats: .all).map(\.relativePath)
        #expect(all == ["TEST/report.txt", "TEST/report.md", "TEST/forecast.svg", "TEST/errors.svg", "TEST/loss.svg",
                        "TEST/comparison-1.svg", "TEST/index.html"] )
    }

    /// Not a timed assertion: prints how long rendering takes, for the record. 20 symbols by default (keeps
    /// the debug suite fast); AUGUR_REPORT_TIMING=500 for the 500-symbol measurement.
    @Test func manySymbols() throws {
        let count = ProcessInfo.processInfo.environment["AUGUR_REPORT_TIMING"].flatMap { Int($0) } ?? 20
        let base = try ReportFixtures.sp500Report()
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = clock.measure {
            var rows: [SummaryRow] = []
            for i in 0..<count {
                var report = base
                report.symbol = "SYM\(i)"
                bytes += ReportWriter.files(for: report, formats: .all).reduce(0) { $0 + $1.contents.utf8.count }
                rows.append(SummaryRow(report))
            }
            bytes += ReportWriter.indexFiles(rows, formats: .all).reduce(0) { $0 + $1.contents.utf8.count }
        }
        print("AugurReport: \(count) symbols rendered (all formats, \(bytes / 1_000_000) MB) in \(elapsed)")
        #expect(bytes > 0)
    }
}
