import AugurCore
/// `report.md`: the text report's content as Markdown tables, with the charts as linked images.
public enum MarkdownReport {
    /// Relative links to the charts written beside the report; nil leaves a chart out.
    public struct ChartLinks: Sendable, Equatable {
        public var forecast: String?
        public var errors: String?
        public var loss: String?
        public var coverage: String?
        /// One per entry of the report's `comparisons`, in order (nil or missing: no chart).
        public var comparisons: [String?]

        public init(forecast: String? = nil, errors: String? = nil, loss: String? = nil, coverage: String? = nil,
                    comparisons: [String?] = []) {
            self.forecast = forecast
            self.errors = errors
            self.coverage = coverage
            self.loss = loss
            self.comparisons = comparisons
        }

        /// The standard file names of ``ReportPaths``, for charts that exist for this report.
        public static func standard(for report: SymbolReport) -> ChartLinks {
            let charts = ReportWriter.charts(for: report)
            return ChartLinks(forecast: charts.contains(.forecast) ? ReportPaths.forecastChart : nil,
                              errors: charts.contains(.errors) ? ReportPaths.errorsChart : nil,
                              loss: charts.contains(.loss) ? ReportPaths.lossChart : nil,
                              coverage: charts.contains(.coverage) ? ReportPaths.coverageChart : nil,
                              comparisons: report.comparisons.indices.map {
                                  ReportSections.comparisonTable(report.comparisons[$0], in: report) == nil
                                      ? nil : ReportWriter.comparisonChartName($0)
                              })
        }
    }

    public static func render(_ report: SymbolReport, chartLinks: ChartLinks = ChartLinks()) -> String {
        var out: [String] = []
        out.append("# Augur report: " + Escaping.markdown(report.symbol))
        out.append("")
        for (label, value) in ReportSections.header(report).dropFirst() {
            out.append("- **\(label):** " + Escaping.markdown(value))
        }
        if let link = chartLinks.forecast { out += ["", image("Forecast chart", link)] }
        if let forecast = report.forecast, !forecast.rows.isEmpty {
            out += ["", "## Forecast from \(forecast.origin.iso)", "", ReportSections.forecastTable(forecast).markdown()]
        }
        let fitted = ReportSections.fittedLines(report)
        if !fitted.isEmpty {
            out += ["", "## " + ReportSections.fittedTitle, ""]
            out += fitted.map { "- **\($0.model):** " + Escaping.markdown($0.text) }
        }
        out += ["", "## Verdict", "", Escaping.markdown(VerdictText.sentence(for: report))]
        if !report.backtest.isEmpty {
            out += ["", "## Backtest", "",
                    "Point errors by horizon (MASE and rel. MAE below 1 beat the reference):", "",
                    ReportSections.accuracyTable(report).markdown(), "",
                    "Direction and intervals (coverage should be near 80 and 95):", "",
                    ReportSections.calibrationTable(report).markdown()]
        }
        if let link = chartLinks.errors { out += ["", image("Backtest errors", link)] }
        if let link = chartLinks.coverage { out += ["", image("Rolling interval coverage", link)] }
        for (i, comparison) in report.comparisons.enumerated() {
            guard let table = ReportSections.comparisonTable(comparison, in: report) else { continue }
            out += ["", "## " + Escaping.markdown(comparison.title), "", "MASE by horizon:", "", table.markdown()]
            if i < chartLinks.comparisons.count, let link = chartLinks.comparisons[i] {
                out += ["", image(comparison.title, link)]
            }
        }
        if let link = chartLinks.loss { out += ["", "## Training", "", image("Training and validation loss", link)] }
        if let spark = ReportSections.sparkline(report) {
            out += ["", "## Recent \(report.observationNoun)", "", "`" + spark.line + "` " + spark.caption]
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func image(_ alt: String, _ link: String) -> String {
        "![\(Escaping.markdown(alt))](\(Escaping.urlPath(link)))"
    }
}
