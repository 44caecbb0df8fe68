import AugurCore
@testable import AugurReport
import Foundation
import Testing

@Suite struct MASEPanelTests {
    /// A far-off model (MASE 38, +2100% against naive) does not set the axis: it stops at 2.5 × the
    /// median difference and its bars are cut with the value written at their end.
    @Test func anOutlierIsClippedAndLabelled() throws {
        var report = ReportFixtures.small()
        for h in [1, 5] { report.backtest.append(BacktestScore(model: .mean, horizon: h, count: 0, values: [.mase: 38.04])) }
        let svg = ErrorsChart.svg(report)
        let xml = XMLCheck(svg)
        #expect(xml.isWellFormed)
        #expect(xml.count("rect", classed: "clipped") == 2)
        #expect(svg.contains("↑+2100.1%"))
        #expect(!svg.contains(">+2000%<"))   // no axis tick near the outlier
    }

    /// The errors chart compares models with the baseline in percent, on an axis where a 1%
    /// difference is a visible bar (at least ±2% shown): theta 1% better than naive is a bar of
    /// about a quarter of the panel's half-height, below the zero line.
    @Test func aOnePercentDifferenceIsVisible() throws {
        var report = ReportFixtures.small()
        report.backtest = [BacktestScore(model: .naive, horizon: 1, count: 10, values: [.mase: 1.0]),
                           BacktestScore(model: .theta, horizon: 1, count: 10, values: [.mase: 0.99])]
        report.baselineModel = .naive
        let xml = XMLCheck(ErrorsChart.svg(report))
        let bars = xml.elements.filter { $0.name == "rect" && $0.attributes["height"] != nil && $0.attributes["x"] != "0" }
        let theta = try #require(bars.last)
        let height = try #require(theta.attributes["height"].flatMap(Double.init))
        #expect(height > 20, "a 1% bar is \(height) px of a 156 px panel")
        #expect(xml.text.contains("-1.0%") || ErrorsChart.svg(report).contains("-1.0% vs naive"))
    }

    /// Eleven models and a baseline get twelve distinct colours, the baseline black: a default backtest
    /// (ten models and auto) never repeats one.
    @Test func elevenModelsElevenColours() {
        let models: [ModelKind] = [.naive] + ModelKind.allCases.filter { $0 != .naive }.prefix(11)
        #expect(models.count == 12)
        let colors = Palette.modelColors(models, baseline: .naive)
        #expect(colors[.naive] == Palette.black)
        #expect(Set(models.map { colors[$0]! }).count == 12)
        #expect(ModelKind.backtestDefaults.count <= 11)
    }
}
