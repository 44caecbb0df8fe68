import AugurCore
/// `index.html` of a symbol: one self-contained page (inline CSS and SVG, no scripts, no external assets)
/// with the header, verdict, charts and tables. Written as well-formed XHTML-style HTML5, so it also parses
/// as XML.
public enum HTMLReport {
    public static func page(_ report: SymbolReport) -> String {
        let symbol = Escaping.xml(report.symbol)
        var out = document(title: "Augur report: " + report.symbol)
        out += "<header>\n<p class=\"nav\"><a href=\"../\(ReportPaths.summaryPage)\">All symbols</a></p>\n"
        out += "<h1>Augur report: <span class=\"symbol\">\(symbol)</span></h1>\n<dl class=\"facts\">\n"
        for (label, value) in ReportSections.header(report).dropFirst() {
            out += "<dt>\(Escaping.xml(label))</dt><dd>\(Escaping.xml(value))</dd>\n"
        }
        out += "</dl>\n<p class=\"verdict\">\(Escaping.xml(VerdictText.sentence(for: report)))</p>\n</header>\n"
        let charts = ReportWriter.charts(for: report)

        out += "<section id=\"forecast\">\n<h2>Forecast</h2>\n"
        if charts.contains(.forecast) { out += figure(ForecastChart.svg(report)) }
        if let forecast = report.forecast, !forecast.rows.isEmpty {
            out += ReportSections.forecastTable(forecast).html(caption: "Forecast from \(forecast.origin.iso)") + "\n"
        }
        let fitted = ReportSections.fittedLines(report)
        if !fitted.isEmpty {
            out += "<h3>\(Escaping.xml(ReportSections.fittedTitle))</h3>\n<dl class=\"fitted\">\n"
            for line in fitted { out += "<dt>\(Escaping.xml(line.model))</dt><dd>\(Escaping.xml(line.text))</dd>\n" }
            out += "</dl>\n"
        }
        out += "</section>\n"

        if !report.backtest.isEmpty || !report.residuals.isEmpty || charts.contains(.coverage) {
            out += "<section id=\"backtest\">\n<h2>Backtest</h2>\n"
            if charts.contains(.errors) { out += figure(ErrorsChart.svg(report)) }
            if charts.contains(.coverage), let track = report.coverage { out += figure(CoverageChart.svg(track, symbol: report.symbol)) }
            if !report.backtest.isEmpty {
                out += ReportSections.accuracyTable(report)
                    .html(caption: "Point errors by horizon (MASE and rel. MAE below 1 beat the reference)") + "\n"
                out += ReportSections.calibrationTable(report)
                    .html(caption: "Direction and intervals (coverage should be near 80 and 95)") + "\n"
            }
            out += "</section>\n"
        }
        for (i, comparison) in report.comparisons.enumerated() {
            guard let table = ReportSections.comparisonTable(comparison, in: report) else { continue }
            out += "<section class=\"comparison\">\n<h2>\(Escaping.xml(comparison.title))</h2>\n"
            if let svg = ComparisonChart.svg(report, comparison: comparison, idPrefix: "comparison-\(i + 1)") {
                out += figure(svg)
            }
            out += table.html(caption: "MASE by horizon") + "\n</section>\n"
        }
        if charts.contains(.loss) {
            out += "<section id=\"training\">\n<h2>Training</h2>\n" + figure(LossChart.svg(report)) + "</section>\n"
        }
        if let spark = ReportSections.sparkline(report) {
            out += "<section id=\"recent\">\n<h2>Recent \(report.observationNoun)</h2>\n"
                + Sparkline.svg(report.recent.suffix(ReportSections.sparklineLength).map(\.value))
                + "<p>" + Escaping.xml(spark.caption) + "</p>\n</section>\n"
        }
        return out + "</main>\n</body>\n</html>\n"
    }

    /// The shared page head and the opening of `<main>`.
    static func document(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(Escaping.xml(title))</title>
        <style>\(stylesheet)</style>
        </head>
        <body>
        <main>

        """
    }

    private static func figure(_ svg: String) -> String { "<figure>\n" + svg + "</figure>\n" }

    /// One stylesheet for every page: fluid up to 1320 px; tables and charts scroll sideways inside
    /// their own box when the screen is narrower than they are, so the page itself never does (a
    /// chart keeps its drawn size, 800 px, on a phone: its text stays at 11 px and more instead of
    /// shrinking to 5); facts stack in one column below 560 px; colours follow the reader's light
    /// or dark scheme (charts keep a light card, their colours being drawn for it).
    static let stylesheet = """

    :root { color-scheme: light dark; --fg: #222; --bg: #fff; --muted: #555; --rule: #ddd; --row: #e3e3e3;
      --panel: #f4f4f4; --accent: #0072B2; --link: #0060a0; }
    @media (prefers-color-scheme: dark) {
      :root { --fg: #e4e4e4; --bg: #15171a; --muted: #b0b0b0; --rule: #3a3d44; --row: #2c2f35; --panel: #22252b;
        --accent: #56B4E9; --link: #7cc4f0; }
      figure svg, .sparkline, .card svg { background: #fff; border-radius: 4px; }
    }
    body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg);
      margin: 0; font-size: 16px; line-height: 1.4; }
    a { color: var(--link); }
    main { max-width: 1320px; margin: 0 auto; padding: 16px; box-sizing: border-box; }
    h1 { font-size: 1.5em; margin: 0.2em 0; overflow-wrap: anywhere; }
    h2 { font-size: 1.2em; border-bottom: 1px solid var(--rule); padding-bottom: 4px; margin-top: 1.6em; overflow-wrap: anywhere; }
    h3 { font-size: 1.05em; overflow-wrap: anywhere; }
    .nav { margin: 0; font-size: 0.9em; }
    dl.facts, dl.fitted { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 16px; margin: 0.8em 0; }
    dl.facts dt, dl.fitted dt { font-weight: bold; }
    dl.facts dd, dl.fitted dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
    @media (max-width: 560px) {
      dl.facts, dl.fitted { grid-template-columns: minmax(0, 1fr); }
      dl.facts dt, dl.fitted dt { margin-top: 6px; }
    }
    .verdict { background: var(--panel); border-left: 4px solid var(--accent); padding: 8px 12px; overflow-wrap: anywhere; }
    figure { margin: 1em 0; overflow-x: auto; max-width: 100%; }
    figure svg { display: block; width: 100%; min-width: 800px; max-width: 1000px; height: auto; }
    .scroll { overflow-x: auto; max-width: 100%; margin: 1em 0; }
    table { border-collapse: collapse; font-size: 0.9em; }
    caption { text-align: left; font-weight: bold; padding-bottom: 4px; white-space: normal; }
    th, td { padding: 3px 10px; border-bottom: 1px solid var(--row); text-align: left; white-space: nowrap; }
    th { white-space: normal; vertical-align: bottom; }
    th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .sparkline { display: block; width: 100%; max-width: 800px; height: auto; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 12px; }
    .card { border: 1px solid var(--rule); border-radius: 6px; padding: 8px; min-width: 0; }
    .card p { margin: 0 0 4px 0; overflow-wrap: anywhere; }
    .card svg { display: block; width: 100%; height: auto; }

    """
}
