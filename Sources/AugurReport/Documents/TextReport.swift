import AugurCore
/// The 80-column terminal report (`report.txt`, and `augur report --stdout`).
public enum TextReport {
    public static let width = 80

    public static func render(_ report: SymbolReport) -> String {
        var out: [String] = []
        let title = "Augur report: " + Escaping.terminal(report.symbol)
        out.append(contentsOf: wrap(title, width: width, firstPrefix: "", prefix: "  "))
        out.append(String(repeating: "=", count: min(width, title.count)))
        for (label, value) in ReportSections.header(report).dropFirst() {
            out.append(contentsOf: wrap(Escaping.terminal(value), width: width,
                                        firstPrefix: pad(label), prefix: pad("")))
        }
        if let forecast = report.forecast, !forecast.rows.isEmpty {
            out.append("")
            out.append("Forecast from \(forecast.origin.iso)")
            out.append(ReportSections.forecastTable(forecast).text(width: width, indent: "  "))
        }
        let fitted = ReportSections.fittedLines(report)
        if !fitted.isEmpty {
            out.append("")
            out.append(ReportSections.fittedTitle)
            for line in fitted {
                out.append(contentsOf: wrap(Escaping.terminal(line.text), width: width,
                                            firstPrefix: "  " + line.model + String(repeating: " ", count: max(1, 11 - line.model.count)),
                                            prefix: String(repeating: " ", count: 13)))
            }
        }
        if !report.backtest.isEmpty {
            out.append("")
            out.append("Backtest: point errors (MASE and rel. MAE below 1 beat the reference)")
            out.append(ReportSections.accuracyTable(report).text(width: width, indent: "  "))
            out.append("")
            out.append("Backtest: direction and intervals (coverage should be near 80 and 95)")
            out.append(ReportSections.calibrationTable(report).text(width: width, indent: "  "))
        }
        for comparison in report.comparisons {
            guard let table = ReportSections.comparisonTable(comparison, in: report) else { continue }
            out.append("")
            out.append(Escaping.terminal(comparison.title) + ": MASE by horizon")
            out.append(table.text(width: width, indent: "  "))
        }
        out.append("")
        out.append(contentsOf: wrap(Escaping.terminal(VerdictText.sentence(for: report)), width: width,
                                    firstPrefix: "Verdict: ", prefix: "  "))
        if let spark = ReportSections.sparkline(report) {
            out.append("")
            out.append("Closes  " + spark.line)
            out.append("        " + spark.caption)
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func pad(_ label: String) -> String {
        label + String(repeating: " ", count: max(1, 12 - label.count))
    }

    /// Greedy word wrap; a word longer than the line is cut rather than overflowing.
    static func wrap(_ text: String, width: Int, firstPrefix: String, prefix: String) -> [String] {
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            while true {
                let candidate = lineHasWord ? line + " " + word : line + word
                if candidate.count <= width {
                    line = candidate
                    lineHasWord = true
                    break
                }
                if lineHasWord {
                    lines.append(line)
                    line = prefix
                    lineHasWord = false
                    continue
                }
                let room = max(1, width - line.count)
                lines.append(line + word.prefix(room))
                word = word.dropFirst(room)
                line = prefix
                if word.isEmpty { break }
            }
        }
        if lineHasWord || lines.isEmpty { lines.append(line) }
        return lines
    }
}
