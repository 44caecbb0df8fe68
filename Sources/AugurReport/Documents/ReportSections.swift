import AugurCore

/// The content shared by the text, Markdown and HTML reports, as plain strings and tables.
/// Each format only lays it out (and escapes it).
public enum ReportSections {
    /// How many closes the sparkline shows.
    public static let sparklineLength = 60

    /// The header as (label, value) lines: data range, last close, model, training, generation date.
    public static func header(_ report: SymbolReport) -> [(label: String, value: String)] {
        let range = report.dataRange
        var lines: [(String, String)] = [
            ("Symbol", report.symbol),
            ("Data", "\(range.first.iso) to \(range.last.iso), \(NumberFormat.grouped(Double(range.count), decimals: 0)) "
                     + "\(report.frequency.rawValue) observations"),
        ]
        if let last = report.lastClose {
            lines.append((report.kind == .value ? "Last value" : "Last close", "\(NumberFormat.price(last.value)) on \(last.date.iso)"))
        }
        if let model = report.model {
            let traits = [model.cell, model.mode, model.details].compactMap { $0 }
            lines.append(("Model", model.kind.name + (traits.isEmpty ? "" : " (" + traits.joined(separator: ", ") + ")")))
            if let from = model.trainedFrom, let to = model.trainedTo {
                lines.append(("Trained on", "\(from.iso) to \(to.iso)"))
            }
            if let best = model.bestValidationLoss {
                var text = "best validation loss " + loss(best)
                if let walk = model.randomWalkValidationLoss, walk > 0 {
                    text += " vs random walk \(loss(walk)) (\(NumberFormat.signedPercent(best / walk - 1)))"
                }
                lines.append(("Validation", text))
            }
        } else {
            lines.append(("Model", "none trained"))
        }
        if let method = report.intervalMethod { lines.append(("Intervals", method)) }
        if let calendar = report.calendar { lines.append(("Dates skip", calendar)) }
        if let pinned = report.pinned { lines.append(("Pinned", "\(pinned) (augur models pin)")) }
        if let source = report.backtestSource { lines.append(("Backtest", source)) }
        if let day = report.generatedOn { lines.append(("Generated", day.iso)) }
        return lines
    }

    /// The statistical models fitted to the whole history, one line each: the model, the form it chose,
    /// and its next forecast with the 80% interval.
    public static let fittedTitle = "Statistical models fitted to the whole history"

    public static func fittedLines(_ report: SymbolReport) -> [(model: String, text: String)] {
        report.fittedModels.map { f in
            var text = f.form
            if let next = f.next {
                let d = NumberFormat.decimals(for: [next])
                text += "; next \(next.date.iso): \(NumberFormat.price(next.point, decimals: d))"
                if let lo = next.lower80, let hi = next.upper80 {
                    text += " (80% \(NumberFormat.price(lo, decimals: d)) to \(NumberFormat.price(hi, decimals: d)))"
                }
            }
            return (f.kind.name, text)
        }
    }

    /// The forecast path: horizon, target date, point, 80% and 95% bounds.
    public static func forecastTable(_ forecast: ForecastPath) -> ReportTable {
        let d = NumberFormat.decimals(for: forecast.rows)
        return ReportTable(
            columns: [.init("h"), .init("Date", .left), .init("Forecast"), .init("80% low"), .init("80% high"),
                      .init("95% low"), .init("95% high")],
            rows: forecast.rows.enumerated().map { i, row in
                [String(i + 1), row.date.iso, NumberFormat.price(row.point, decimals: d),
                 NumberFormat.price(row.lower80, decimals: d), NumberFormat.price(row.upper80, decimals: d),
                 NumberFormat.price(row.lower95, decimals: d), NumberFormat.price(row.upper95, decimals: d)]
            })
    }

    /// The backtest's point-error metrics, horizon by horizon, models in their given order.
    public static func accuracyTable(_ report: SymbolReport) -> ReportTable {
        ReportTable(
            columns: [.init("h"), .init("Model", .left), .init("MAE"), .init("RMSE"), .init("MAPE%"),
                      .init("sMAPE%"), .init("MASE"), .init("rel. MAE"), .init("n")],
            rows: byHorizon(report.backtest).map { row in
                [String(row.horizon), row.model.name, NumberFormat.price(row[.mae]), NumberFormat.price(row[.rmse]),
                 NumberFormat.fixed(row[.mape], decimals: 2), NumberFormat.fixed(row[.smape], decimals: 2),
                 NumberFormat.fixed(row[.mase], decimals: 3), NumberFormat.fixed(row[.relativeMAE], decimals: 3),
                 String(row.count)]
            })
    }

    /// The backtest's direction and interval metrics (coverage should be near 80 and 95).
    public static func calibrationTable(_ report: SymbolReport) -> ReportTable {
        ReportTable(
            columns: [.init("h"), .init("Model", .left), .init("Direction%"), .init("Cover 80%"),
                      .init("Cover 95%"), .init("Pinball")],
            rows: byHorizon(report.backtest).map { row in
                [String(row.horizon), row.model.name, NumberFormat.fixed(row[.directionalAccuracy], decimals: 1),
                 NumberFormat.fixed(row[.coverage80], decimals: 1), NumberFormat.fixed(row[.coverage95], decimals: 1),
                 NumberFormat.price(row[.pinball])]
            })
    }

    /// MASE by horizon with one column per model of the comparison that has backtest rows; nil unless at
    /// least two of them are not the baseline (a "Seq2Seq vs plain" section needs both networks).
    public static func comparisonTable(_ comparison: ModelComparison, in report: SymbolReport) -> ReportTable? {
        let models = comparedModels(comparison, in: report)
        guard isShown(models, in: report) else { return nil }
        let horizons = Array(Set(report.backtest.filter { models.contains($0.model) }.map(\.horizon))).sorted()
        return ReportTable(
            columns: [.init("h")] + models.map { .init("MASE " + $0.name) },
            rows: horizons.map { h in
                [String(h)] + models.map { m in
                    NumberFormat.fixed(report.backtest.first { $0.model == m && $0.horizon == h }?[.mase], decimals: 3)
                }
            })
    }

    /// The comparison's models that have at least one backtest row, in the comparison's order, once each.
    public static func comparedModels(_ comparison: ModelComparison, in report: SymbolReport) -> [ModelKind] {
        let present = Set(report.backtest.map(\.model))
        var seen = Set<ModelKind>()
        return comparison.models.filter { present.contains($0) && seen.insert($0).inserted }
    }

    static func isShown(_ models: [ModelKind], in report: SymbolReport) -> Bool {
        models.filter { $0 != report.baselineModel }.count >= 2
    }

    /// The sparkline of the last ``sparklineLength`` closes with their range.
    public static func sparkline(_ report: SymbolReport) -> (line: String, caption: String)? {
        let values = report.recent.suffix(sparklineLength).map(\.value)
        guard let low = values.min(), let high = values.max() else { return nil }
        return (Sparkline.render(Array(values)),
                "last \(values.count) \(report.observationNoun), min \(NumberFormat.price(low)), max \(NumberFormat.price(high))")
    }

    /// By horizon, and within one by MASE, best first (rows without a MASE last, in their order), as
    /// `augur backtest` prints them.
    static func byHorizon(_ rows: [BacktestScore]) -> [BacktestScore] {
        rows.enumerated().sorted {
            ($0.element.horizon, $0.element[.mase] ?? .infinity, $0.offset) < ($1.element.horizon, $1.element[.mase] ?? .infinity, $1.offset)
        }.map(\.element)
    }

    static func loss(_ x: Double) -> String {
        guard x.isFinite else { return NumberFormat.missing }
        return x != 0 && abs(x) < 0.001 ? NumberFormat.scientific(x, digits: 4) : NumberFormat.fixed(x, decimals: 6)
    }
}
