import AugurCore
import Foundation
import Testing
@testable import AugurReport

/// The rolling-coverage chart: the rolling share by hand, the SVG well formed with its bands, lines and
/// nominal levels, and the report writing it when it has a track.
@Suite struct CoverageChartTests {
    func track(_ n: Int) -> CoverageTrack {
        let dates = (0..<n).map { CivilDate(daysSinceEpoch: Int32(17_500 + $0)) }
        let actual = (0..<n).map { Double($0 % 7) }
        // The 80% band [1, 5] holds 1…5 (5 of every 7); the 95% band [0, 6] holds all.
        return CoverageTrack(model: .naive, horizon: 1, method: "split conformal", dates: dates, actual: actual,
                             bands: [.init(level: 80, lower: Array(repeating: 1, count: n), upper: Array(repeating: 5, count: n)),
                                     .init(level: 95, lower: Array(repeating: 0, count: n), upper: Array(repeating: 6, count: n))])
    }

    @Test func rollingShareByHand() {
        let t = track(10)
        // Window 7 over values 0…6, 0, 1, 2: every window of 7 holds exactly five of 1…5.
        let rolled = t.rolling(t.bands[0], window: 7)
        #expect(rolled.count == 4 && rolled.allSatisfy { abs($0.percent - 500 / 7.0) < 1e-12 })
        #expect(rolled.first?.date == t.dates[6])
        #expect(t.rolling(t.bands[1], window: 7).allSatisfy { $0.percent == 100 })
        #expect(t.rolling(t.bands[0], window: 11).isEmpty)
        #expect(CoverageChart.window(for: 200) == 50 && CoverageChart.window(for: 40) == 20)
    }

    @Test func svgIsWellFormedWithBandsAndNominalLines() {
        let svg = CoverageChart.svg(track(120), symbol: "S&P <500>")
        let xml = XMLCheck(svg)
        #expect(xml.isWellFormed, "\(String(describing: xml.error))")
        #expect(xml.count("path", classed: "band") == 2 && xml.count("path", classed: "series-actual") == 1)
        #expect(xml.count("path", classed: "series-coverage-80") == 1 && xml.count("path", classed: "series-coverage-95") == 1)
        #expect(xml.count("line", classed: "nominal") == 2)
        #expect(xml.text.contains("S&P <500>: naive intervals at h=1") && xml.text.contains("Intervals: split conformal"))
        // Too few origins: a message, not a broken chart.
        #expect(XMLCheck(CoverageChart.svg(track(1), symbol: "X")).text.contains("Too few origins"))
    }

    @Test func theReportWritesTheChartWhenItHasATrack() {
        var report = SymbolReport(symbol: "X", frequency: .daily,
                                  dataRange: DataRange(first: CivilDate(iso: "2020-01-01")!, last: CivilDate(iso: "2020-06-01")!, count: 100),
                                  recent: [DatedValue(date: CivilDate(iso: "2020-06-01")!, value: 1)])
        #expect(!ReportWriter.files(for: report, formats: .all).contains { $0.relativePath.hasSuffix(ReportPaths.coverageChart) })
        report.coverage = track(60)
        let files = ReportWriter.files(for: report, formats: .all)
        #expect(files.contains { $0.relativePath.hasSuffix(ReportPaths.coverageChart) })
        #expect(files.first { $0.relativePath.hasSuffix(ReportPaths.markdown) }?.contents.contains("](coverage.svg)") == true)
        #expect(files.first { $0.relativePath.hasSuffix("index.html") }?.contents.contains("series-coverage-80") == true)
    }
}
