import Foundation
import AugurCore
import AugurReport
import Testing

/// The fitted forms of AutoETS and AutoARIMA appear in every format, after the forecast, escaped.
@Suite struct FittedModelsTests {
    @Test func everyFormatListsTheFittedForms() throws {
        var report = ReportFixtures.small()
        let next = ForecastStep(date: CivilDate(iso: "2024-06-03")!, horizon: 1, point: 445.6349, lower80: 430.8903,
                                upper80: 460.3795, lower95: nil, upper95: nil)
        report.fittedModels = [
            FittedModel(kind: .autoarima, form: "ARIMA(2,1,1)(0,1,0)[12] ar=0.596,0.214 ma=-0.982, AICc 1018.2", next: next),
            FittedModel(kind: .autoets, form: "ETS(M,N,M) α=0.365 γ=0.002, AICc <1458.1>", next: nil),
        ]
        let line = "ARIMA(2,1,1)(0,1,0)[12] ar=0.596,0.214 ma=-0.982, AICc 1018.2; next 2024-06-03: 445.63 (80% 430.89 to 460.38)"
        let text = TextReport.render(report)
        #expect(text.contains("Statistical models fitted to the whole history\n  autoarima  ARIMA(2,1,1)(0,1,0)[12]"), "\(text)")
        #expect(text.contains("445.63 (80% 430.89"))
        let markdown = MarkdownReport.render(report)
        // Markdown escapes the brackets, so that "[12]" is not read as a link.
        #expect(markdown.contains("- **autoarima:** " + line.replacingOccurrences(of: "[12]", with: "\\[12\\]")), "\(markdown)")
        let html = HTMLReport.page(report)
        #expect(html.contains("<dt>autoarima</dt><dd>\(line)</dd>"), "\(html)")
        #expect(html.contains("AICc &lt;1458.1&gt;</dd>"))
        // Text lines stay within 80 columns.
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
        // Without fitted models the section is absent.
        #expect(!TextReport.render(ReportFixtures.small()).contains("Statistical models"))
    }
}
