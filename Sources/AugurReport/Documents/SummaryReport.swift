import AugurCore

/// `Reports/index.html` and `Reports/summary.md`: one row per symbol with its next forecast, the interval,
/// and the model's MASE against its baseline, linking to each symbol's page.
public enum SummaryReport {
    /// The summary table; first cells link to `<folder>/<page>`.
    public static func table(_ rows: [SummaryRow], linkingTo page: String) -> ReportTable {
        ReportTable(
            columns: [.init("Symbol", .left), .init("Last"), .init("On", .left), .init("Forecast for", .left),
                      .init("Forecast"), .init("Interval", .left), .init("Model", .left), .init("MASE"),
                      .init("Baseline", .left), .init("baseline MASE"), .init("vs baseline")],
            rows: rows.map { row in
                let f = row.nextForecast
                var versus = NumberFormat.missing
                if let m = row.modelMASE, let b = row.baselineMASE, b > 0 { versus = NumberFormat.signedPercent(m / b - 1) }
                return [row.symbol, NumberFormat.price(row.lastClose?.value), row.lastClose?.date.iso ?? NumberFormat.missing,
                        f?.date.iso ?? NumberFormat.missing, NumberFormat.price(f?.point), interval(f),
                        row.model?.name ?? NumberFormat.missing, NumberFormat.fixed(row.modelMASE, decimals: 3),
                        row.baseline.name, NumberFormat.fixed(row.baselineMASE, decimals: 3), versus]
            },
            links: rows.map { ReportPaths.path(page, for: $0.symbol) })
    }

    /// "80%: 2,480.00 – 2,540.00", the 95% interval when there is no 80% one, "–" with neither.
    static func interval(_ row: ForecastStep?) -> String {
        guard let row else { return NumberFormat.missing }
        if let lo = row.lower80, let hi = row.upper80 { return "80%: \(NumberFormat.price(lo)) to \(NumberFormat.price(hi))" }
        if let lo = row.lower95, let hi = row.upper95 { return "95%: \(NumberFormat.price(lo)) to \(NumberFormat.price(hi))" }
        return NumberFormat.missing
    }

    public static func markdown(_ rows: [SummaryRow], generatedOn: CivilDate? = nil) -> String {
        var out = ["# Augur forecasts", ""]
        if let day = generatedOn { out += ["Generated \(day.iso).", ""] }
        out += [note, "", table(rows, linkingTo: ReportPaths.markdown).markdown()]
        return out.joined(separator: "\n") + "\n"
    }

    public static func html(_ rows: [SummaryRow], generatedOn: CivilDate? = nil) -> String {
        var out = HTMLReport.document(title: "Augur forecasts")
        out += "<h1>Augur forecasts</h1>\n"
        if let day = generatedOn { out += "<p>Generated \(day.iso).</p>\n" }
        out += "<p>\(Escaping.xml(note))</p>\n"
        out += table(rows, linkingTo: ReportPaths.page).html() + "\n"
        let charted = rows.filter { !$0.recent.isEmpty }
        if !charted.isEmpty {
            out += "<h2>Recent values and forecasts</h2>\n<div class=\"cards\">\n"
            for row in charted {
                let link = Escaping.xml(Escaping.urlPath(ReportPaths.path(ReportPaths.page, for: row.symbol)))
                out += "<div class=\"card\"><p><a href=\"\(link)\">\(Escaping.xml(row.symbol))</a></p>\n"
                    + MiniForecastChart.svg(recent: row.recent, forecast: row.forecast, symbol: row.symbol) + "</div>\n"
            }
            out += "</div>\n"
        }
        return out + "</main>\n</body>\n</html>\n"
    }

    private static let note = "MASE at horizon 1; below 1 beats the in-sample (seasonal) naive forecast, and \"vs "
        + "baseline\" compares the model with its baseline, seasonal naive for a seasonal series and naive otherwise, "
        + "on the same backtest (negative is better)."
}
