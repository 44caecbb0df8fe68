import AugurCore
@testable import AugurReport
import Foundation
import Testing

@Suite struct MASEPanelTests {
    /// A far-off model (MASE 38) no longer sets the axis: the axis stops at 2.5 × the median MASE and
    /// its bars are cut with the value written above them; the others keep their heights.
    @Test func anOutlierIsClippedAndLabelled() throws {
        var report = ReportFixtures.small()
        for h in [1, 5] { report.backtest.append(BacktestScore(model: .mean, horizon: h, count: 0, values: [.mase: 38.04])) }
        let svg = ErrorsChart.svg(report)
        let xml = XMLCheck(svg)
        #expect(xml.isWellFormed)
        #expect(xml.count("rect", classed: "clipped") == 2)
        #expect(svg.contains("↑38.0"))
        #expect(!svg.contains(">40<"))   // no axis tick at 40
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
