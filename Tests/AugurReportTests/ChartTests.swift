import AugurCore
import AugurReport
import Foundation
import Testing

@Suite struct ChartTests {
    @Test func forecastChartHasEverySeriesBandAxisAndLabel() throws {
        let report = try ReportFixtures.sp500Report()
        let svg = ForecastChart.svg(report)
        let xml = XMLCheck(svg)
        #expect(xml.isWellFormed, "\(String(describing: xml.error))")
        #expect(xml.count("path", classed: "series-observed") == 1)
        #expect(xml.count("path", classed: "series-forecast") == 1)
        #expect(xml.count("path", classed: "band-80") == 1)
        #expect(xml.count("path", classed: "band-95") == 1)
        #expect(xml.count("line", classed: "origin") == 1)
        #expect(xml.count("title") == 1 && xml.count("desc") == 1)
        #expect(svg.contains("viewBox=\"0 0 800 420\""))
        #expect(xml.text.contains("origin 2018-12-31"))
        #expect(xml.text.contains("Jan 2019"))
        #expect(xml.text.contains("95% interval") && xml.text.contains("Forecast origin"))
        #expect(xml.text.contains("^GSPC: last 120 closes and 20-step forecast"))
    }

    @Test func forecastChartWithoutForecastShowsHistoryOnly() {
        var report = ReportFixtures.small()
        report.forecast = nil
        let xml = XMLCheck(ForecastChart.svg(report))
        #expect(xml.isWellFormed)
        #expect(xml.count("path", classed: "series-observed") == 1)
        #expect(xml.count("path", classed: "series-forecast") == 0)
        #expect(xml.count("path", classed: "band") == 0)
    }

    @Test func errorsChartHasAGroupPerModelResidualsAndHistogram() throws {
        let report = try ReportFixtures.sp500Report()
        let xml = XMLCheck(ErrorsChart.svg(report))
        #expect(xml.isWellFormed)
        // MASE relative to the baseline (naive): one group per other model.
        let groups = xml.elements.filter { $0.name == "g" && $0.attributes["class"] == "series series-relative-mase" }
        #expect(groups.map { $0.attributes["data-model"] ?? "" } == ["lstm", "drift", "seq2seq"])
        #expect(xml.text.contains("MASE vs naive"))
        #expect(xml.count("rect") > 12)
        #expect(xml.count("path", classed: "series-residuals") == 1)
        #expect(xml.count("g", classed: "series-histogram") == 1)
        #expect(xml.text.contains("h=20"))
    }

    @Test func lossChartHasAPanelPerRun() {
        let report = ReportFixtures.small()
        let xml = XMLCheck(LossChart.svg(report))
        #expect(xml.isWellFormed)
        #expect(xml.count("path", classed: "series-train") == 2)
        #expect(xml.count("path", classed: "series-validation") == 2)
        #expect(xml.count("circle", classed: "best") == 2)
        #expect(xml.text.contains("stateful") && xml.text.contains("stateless"))
    }

    @Test func comparisonChartIsGenericOverModelNames() throws {
        let report = try ReportFixtures.sp500Report()
        let svg = try #require(ComparisonChart.svg(report, comparison: report.comparisons[0]))
        let xml = XMLCheck(svg)
        #expect(xml.isWellFormed)
        let models = xml.elements.filter { $0.name == "g" && $0.attributes["class"] == "series series-mase" }
            .compactMap { $0.attributes["data-model"] }
        #expect(models == ["lstm", "seq2seq", "naive"])
        // Without Seq2Seq rows only LSTM and the baseline remain: no comparison to show.
        var plain = report
        plain.backtest.removeAll { $0.model == .seq2seq }
        #expect(ComparisonChart.svg(plain, comparison: report.comparisons[0]) == nil)
        #expect(ReportSections.comparisonTable(report.comparisons[0], in: plain) == nil)
        #expect(!TextReport.render(plain).contains("Seq2Seq vs plain"))
        let renamed = ModelComparison(title: "GRU vs LSTM", models: [.drift, .lstm, .naive])
        #expect(ComparisonChart.svg(report, comparison: renamed) != nil)
    }

    @Test func emptyInputsStillGiveValidDocuments() {
        let day = CivilDate(iso: "2024-01-02")!
        let empty = SymbolReport(symbol: "EMPTY", frequency: .daily, dataRange: DataRange(first: day, last: day, count: 0), recent: [])
        for svg in [ForecastChart.svg(empty), ErrorsChart.svg(empty), LossChart.svg(empty), HTMLReport.page(empty)] {
            #expect(XMLCheck(svg).isWellFormed)
        }
        #expect(TextReport.render(empty).contains("no verdict"))
        let one = SymbolReport(symbol: "ONE", frequency: .daily, dataRange: DataRange(first: day, last: day, count: 1),
                               recent: [DatedValue(date: day, value: 5)])
        #expect(XMLCheck(ForecastChart.svg(one)).isWellFormed)
    }

    @Test func htmlPageIsSelfContainedAndWellFormed() throws {
        let report = try ReportFixtures.sp500Report()
        let page = HTMLReport.page(report)
        let xml = XMLCheck(page)
        #expect(xml.isWellFormed, "\(String(describing: xml.error))")
        #expect(xml.count("svg") == 5)  // four charts and the recent values' sparkline
        #expect(xml.count("script") == 0 && xml.count("link") == 0 && xml.count("img") == 0)
        #expect(xml.count("table") == 4)
        let ids = xml.elements.compactMap { $0.attributes["id"] }
        #expect(Set(ids).count == ids.count, "element ids are unique")
        #expect(!page.contains("http://") || page.components(separatedBy: "http://").count - 1 == 5, "only the SVG namespaces")
        // Responsive: every table scrolls inside its own box, no chart text below 11 px at its drawn
        // size (which a phone keeps, scrolling the chart in its box), and a dark scheme.
        let tables = xml.elements.filter { $0.name == "table" }.count
        let boxes = xml.elements.filter { $0.name == "div" && $0.attributes["class"] == "scroll" }.count
        #expect(tables == boxes)
        let sizes = xml.elements.compactMap { $0.attributes["font-size"].flatMap(Double.init) }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 11 }, "\(sizes.filter { $0 < 11 })")
        #expect(page.contains("prefers-color-scheme: dark") && page.contains("min-width: 800px"))
        let summary = XMLCheck(SummaryReport.html([SummaryRow(report), SummaryRow(ReportFixtures.small())]))
        #expect(summary.isWellFormed)
        // The table's links, then one card per symbol with its link and small chart (observed line,
        // forecast path, 80% band).
        #expect(summary.elements.filter { $0.name == "a" }.compactMap { $0.attributes["href"] }
                == ["%5EGSPC/index.html", "TEST/index.html", "%5EGSPC/index.html", "TEST/index.html"])
        #expect(summary.count("svg") == 2 && summary.count("polygon") == 2 && summary.count("polyline") == 4)
    }

    @Test func outputIsDeterministic() throws {
        let report = try ReportFixtures.sp500Report()
        #expect(ReportWriter.files(for: report, formats: .all) == ReportWriter.files(for: report, formats: .all))
    }

    /// Each SVG renders with rsvg-convert (when installed) to a PNG that is not one flat colour.
    @Test func svgsRenderToNonBlankPNGs() throws {
        guard let tool = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert", "/opt/homebrew/bin/rsvg-convert"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let report = try ReportFixtures.sp500Report()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("augur-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let svgs = ReportWriter.files(for: report, formats: .svg)
        #expect(svgs.count == 4)
        for file in svgs {
            let name = (file.relativePath as NSString).lastPathComponent
            let input = dir.appendingPathComponent(name), output = dir.appendingPathComponent(name + ".png")
            try file.contents.write(to: input, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = ["-o", output.path, input.path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(name)")
            let png = try Data(contentsOf: output)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
            // A one-colour 800×420 PNG from rsvg-convert compresses to about 2 kB; our charts are 10–90 kB.
            #expect(png.count > 6_000, "\(name): \(png.count) bytes")
        }
    }
}
