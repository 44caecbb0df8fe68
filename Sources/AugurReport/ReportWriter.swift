import AugurCore

/// Which files `augur report --format` asks for.
public struct ReportFormats: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let text = ReportFormats(rawValue: 1)
    public static let markdown = ReportFormats(rawValue: 2)
    public static let svg = ReportFormats(rawValue: 4)
    public static let html = ReportFormats(rawValue: 8)
    public static let all: ReportFormats = [.text, .markdown, .svg, .html]

    /// Parses the CLI's `all`, `txt`, `md`, `svg`, `html`, or a comma-separated list of them; nil otherwise.
    public init?(argument: String) {
        var formats: ReportFormats = []
        for part in argument.lowercased().split(separator: ",") {
            switch part.trimmingSpaces {
            case "all": formats.formUnion(.all)
            case "txt", "text": formats.insert(.text)
            case "md", "markdown": formats.insert(.markdown)
            case "svg": formats.insert(.svg)
            case "html": formats.insert(.html)
            default: return nil
            }
        }
        guard !formats.isEmpty else { return nil }
        self = formats
    }
}

/// One output file: where it goes relative to the reports folder, and its UTF-8 text.
public struct ReportFile: Sendable, Equatable {
    public var relativePath: String
    public var contents: String

    public init(relativePath: String, contents: String) {
        self.relativePath = relativePath
        self.contents = contents
    }
}

/// Lays out a report's files without writing them: the caller (the CLI) creates the folders and writes
/// each ``ReportFile`` under the reports folder, so this module stays free of I/O.
///
/// ```swift
/// for file in ReportWriter.files(for: report, formats: .all) + ReportWriter.indexFiles(rows, formats: .all) {
///     try write(file.contents, to: reportsFolder + "/" + file.relativePath)
/// }
/// ```
public enum ReportWriter {
    /// The charts a report has data for.
    public enum Chart: Sendable, Hashable { case forecast, errors, coverage, loss }

    public static func charts(for report: SymbolReport) -> Set<Chart> {
        var charts: Set<Chart> = []
        if !report.recent.isEmpty || report.forecast != nil { charts.insert(.forecast) }
        if !report.backtest.isEmpty || !report.residuals.isEmpty { charts.insert(.errors) }
        if let c = report.coverage, c.dates.count >= 2 { charts.insert(.coverage) }
        if report.trainingHistories.contains(where: { !$0.epochs.isEmpty }) { charts.insert(.loss) }
        return charts
    }

    /// The file name of the chart of `report.comparisons[index]`.
    public static func comparisonChartName(_ index: Int) -> String { "comparison-\(index + 1).svg" }

    /// A symbol's files, `<folder>/report.txt`, `report.md`, the SVG charts it has data for, `index.html`,
    /// in that order, for the chosen formats. Charts are only linked from `report.md` when SVG is chosen.
    public static func files(for report: SymbolReport, formats: ReportFormats) -> [ReportFile] {
        var files: [ReportFile] = []
        func add(_ name: String, _ contents: String) {
            files.append(ReportFile(relativePath: ReportPaths.path(name, for: report.symbol), contents: contents))
        }
        if formats.contains(.text) { add(ReportPaths.text, TextReport.render(report)) }
        if formats.contains(.markdown) {
            let links = formats.contains(.svg) ? MarkdownReport.ChartLinks.standard(for: report) : MarkdownReport.ChartLinks()
            add(ReportPaths.markdown, MarkdownReport.render(report, chartLinks: links))
        }
        if formats.contains(.svg) {
            let charts = charts(for: report)
            if charts.contains(.forecast) { add(ReportPaths.forecastChart, ForecastChart.svg(report)) }
            if charts.contains(.errors) { add(ReportPaths.errorsChart, ErrorsChart.svg(report)) }
            if charts.contains(.coverage), let track = report.coverage {
                add(ReportPaths.coverageChart, CoverageChart.svg(track, symbol: report.symbol))
            }
            if charts.contains(.loss) { add(ReportPaths.lossChart, LossChart.svg(report)) }
            for (i, comparison) in report.comparisons.enumerated() {
                if let svg = ComparisonChart.svg(report, comparison: comparison) { add(comparisonChartName(i), svg) }
            }
        }
        if formats.contains(.html) { add(ReportPaths.page, HTMLReport.page(report)) }
        return files
    }

    /// `index.html` (when HTML is chosen) and `summary.md` (when Markdown is chosen) at the top of the
    /// reports folder, one row per symbol in the order given.
    public static func indexFiles(_ rows: [SummaryRow], formats: ReportFormats, generatedOn: CivilDate? = nil) -> [ReportFile] {
        var files: [ReportFile] = []
        if formats.contains(.html) {
            files.append(ReportFile(relativePath: ReportPaths.summaryPage, contents: SummaryReport.html(rows, generatedOn: generatedOn)))
        }
        if formats.contains(.markdown) {
            files.append(ReportFile(relativePath: ReportPaths.summaryMarkdown,
                                    contents: SummaryReport.markdown(rows, generatedOn: generatedOn)))
        }
        return files
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
