import AugurCore
/// Grouped bars of MASE by horizon, one colour per model: the errors chart's first panel and the
/// chart of each ``ModelComparison``. Generic over model names, so a new model just appears.
struct MASEPanel {
    var models: [ModelKind]
    var horizons: [Int]
    var mase: [ModelKind: [Int: Double]]

    init(report: SymbolReport, models: [ModelKind]) {
        self.models = models
        var table: [ModelKind: [Int: Double]] = [:]
        var horizons = Set<Int>()
        for row in report.backtest where models.contains(row.model) {
            guard let m = row[.mase], m.isFinite else { continue }
            table[row.model, default: [:]][row.horizon] = m
            horizons.insert(row.horizon)
        }
        self.mase = table
        self.horizons = horizons.sorted()
    }

    var isEmpty: Bool { horizons.isEmpty }

    func legend(_ colors: [ModelKind: String]) -> [LegendItem] {
        models.map { LegendItem(label: $0.name, color: colors[$0] ?? Palette.black, mark: .box(opacity: 1)) }
    }

    /// Each model's MASE relative to `baseline`'s at the same horizon, in percent (below zero: better
    /// than the baseline); the baseline itself is left out. Empty when the baseline has no MASE.
    func relative(to baseline: ModelKind) -> MASEPanel? {
        guard let reference = mase[baseline], !reference.isEmpty else { return nil }
        var table: [ModelKind: [Int: Double]] = [:]
        for (model, byHorizon) in mase where model != baseline {
            for (h, value) in byHorizon {
                guard let r = reference[h], r > 0 else { continue }
                table[model, default: [:]][h] = (value / r - 1) * 100
            }
        }
        var panel = MASEPanel(models: models.filter { $0 != baseline && table[$0] != nil },
                              horizons: horizons.filter { h in table.values.contains { $0[h] != nil } }, mase: table)
        panel.relativeTo = baseline
        return panel.isEmpty ? nil : panel
    }

    init(models: [ModelKind], horizons: [Int], mase: [ModelKind: [Int: Double]]) {
        self.models = models; self.horizons = horizons; self.mase = mase
    }

    /// Set on a relative panel: its values are percent differences from this model's MASE.
    var relativeTo: ModelKind?

    /// A group of bars per horizon, 80% of its width shared by the models' bars: the group's width
    /// and one bar's.
    private func barLayout(in plot: PlotArea) -> (group: Double, bar: Double) {
        let group = plot.width / Double(max(1, horizons.count))
        return (group, group * 0.8 / Double(max(1, models.count)))
    }

    /// The left edge of model `m`'s bar at horizon index `h`.
    private func barX(_ m: Int, _ h: Int, in plot: PlotArea, group: Double, bar: Double) -> Double {
        plot.left + Double(h) * group + group * 0.1 + Double(m) * bar
    }

    /// The horizons under their groups.
    private func drawHorizonAxis(_ svg: inout SVGWriter, in plot: PlotArea, group: Double) {
        let ticksX = horizons.enumerated().map { (x: plot.left + (Double($0.offset) + 0.5) * group, label: "h=\($0.element)") }
        plot.drawBottomAxis(&svg, ticks: ticksX, className: "axis-x")
    }

    /// Relative bars: from the zero line up (worse than the baseline) or down (better), on an axis
    /// scaled to the differences (at least ±2%, so a 1% difference is visible); one far-off model
    /// is clipped at 2.5 × the median size of the others, its value written at the bar's end.
    func drawRelative(_ svg: inout SVGWriter, in plot: PlotArea, colors: [ModelKind: String], baseline: ModelKind) {
        let sizes = mase.values.flatMap(\.values).map(abs).sorted()
        let cap = max(2, sizes.isEmpty ? 2 : 2.5 * sizes[sizes.count / 2])
        let all = mase.values.flatMap(\.values)
        let low = max(-cap, min(-2, all.min() ?? 0)), high = min(cap, max(2, all.max() ?? 0))
        let ticks = Ticks.values(covering: low, high, targetCount: 6)
        let y = LinearScale(domain: (ticks.lower, ticks.upper), range: (plot.bottom, plot.top))
        var labelled = ticks
        labelled.labels = zip(ticks.values, ticks.labels).map { value, label in (value > 0 ? "+" : "") + label + "%" }
        plot.drawValueAxis(&svg, ticks: labelled, scale: y, title: "MASE vs \(baseline.name)")
        let (group, barWidth) = barLayout(in: plot)
        let zero = y(0)
        for (m, model) in models.enumerated() {
            svg.open("g", [("class", "series series-relative-mase"), ("data-model", model.name),
                           ("fill", colors[model] ?? Palette.black)])
            for (h, horizon) in horizons.enumerated() {
                guard let value = mase[model]?[horizon] else { continue }
                let x = barX(m, h, in: plot, group: group, bar: barWidth)
                let clipped = value > ticks.upper || value < ticks.lower
                let end = y(min(ticks.upper, max(ticks.lower, value)))
                svg.open("rect", [("x", c(x + 0.5)), ("y", c(min(end, zero))), ("width", c(max(1, barWidth - 1))),
                                  ("height", c(max(1, abs(zero - end))))] + (clipped ? [("class", "clipped")] : []))
                svg.element("title", [], text: "\(model), h=\(horizon): MASE \(NumberFormat.signedPercent(value / 100)) vs \(baseline.name)")
                svg.close()
                if clipped {
                    svg.element("text", [("class", "clipped-value"), ("x", c(x + barWidth / 2)),
                                         ("y", c(value > 0 ? end - 3 : end + 12)), ("font-size", "11"),
                                         ("text-anchor", "middle"), ("fill", Palette.axis)],
                                text: (value > 0 ? "↑" : "↓") + NumberFormat.signedPercent(value / 100))
                }
            }
            svg.close()
        }
        svg.element("line", [("class", "reference"), ("x1", c(plot.left)), ("x2", c(plot.right)), ("y1", c(zero)),
                             ("y2", c(zero)), ("stroke", Palette.axis), ("stroke-width", "1")])
        drawHorizonAxis(&svg, in: plot, group: group)
    }

    /// Bars inside `plot`, a dashed reference line at MASE = 1, horizons on the x axis.
    func draw(_ svg: inout SVGWriter, in plot: PlotArea, colors: [ModelKind: String]) {
        if let baseline = relativeTo { return drawRelative(&svg, in: plot, colors: colors, baseline: baseline) }
        // One far-off model (the historical mean on a trending price has MASE near 40) would flatten every
        // other bar: the axis stops at 2.5 × the median MASE and taller bars are cut, their value written on top.
        let values = mase.values.flatMap(\.values).sorted()
        let highest = values.last ?? 1
        let cap = values.isEmpty ? highest : max(1, 2.5 * values[values.count / 2])
        let ticks = Ticks.values(covering: 0, max(1, min(highest, cap)), targetCount: 5)
        let y = LinearScale(domain: (ticks.lower, ticks.upper), range: (plot.bottom, plot.top))
        plot.drawValueAxis(&svg, ticks: ticks, scale: y, title: "MASE")
        let (group, barWidth) = barLayout(in: plot)
        for (m, model) in models.enumerated() {
            svg.open("g", [("class", "series series-mase"), ("data-model", model.name),
                           ("fill", colors[model] ?? Palette.black)])
            for (h, horizon) in horizons.enumerated() {
                guard let value = mase[model]?[horizon] else { continue }
                let x = barX(m, h, in: plot, group: group, bar: barWidth)
                let clipped = value > ticks.upper
                let top = clipped ? plot.top : y(max(value, ticks.lower))
                svg.open("rect", [("x", c(x + 0.5)), ("y", c(top)), ("width", c(max(1, barWidth - 1))),
                                  ("height", c(plot.bottom - top))] + (clipped ? [("class", "clipped")] : []))
                svg.element("title", [], text: "\(model), h=\(horizon): MASE \(NumberFormat.fixed(value, decimals: 3))")
                svg.close()
                if clipped {
                    svg.element("text", [("class", "clipped-value"), ("x", c(x + barWidth / 2)), ("y", c(top - 3)),
                                         ("font-size", "11"), ("text-anchor", "middle"), ("fill", Palette.axis)],
                                text: "↑" + NumberFormat.fixed(value, decimals: 1))
                }
            }
            svg.close()
        }
        let one = y(1)
        svg.element("line", [("class", "reference"), ("x1", c(plot.left)), ("x2", c(plot.right)), ("y1", c(one)),
                             ("y2", c(one)), ("stroke", Palette.axis), ("stroke-width", "1"),
                             ("stroke-dasharray", "5 3")])
        drawHorizonAxis(&svg, in: plot, group: group)
    }
}

/// The chart of one ``ModelComparison``: MASE by horizon for its models (e.g. plain LSTM, Seq2Seq, naive).
public enum ComparisonChart {
    /// The chart, or nil when fewer than two of the comparison's non-baseline models have backtest rows.
    public static func svg(_ report: SymbolReport, comparison: ModelComparison, idPrefix: String = "comparison") -> String? {
        let models = ReportSections.comparedModels(comparison, in: report)
        let panel = MASEPanel(report: report, models: models)
        guard ReportSections.isShown(models, in: report), !panel.isEmpty else { return nil }
        let width = 800.0, height = 340.0
        let title = "\(report.symbol): \(comparison.title)"
        var svg = SVGWriter(width: width, height: height, title: title,
                            description: "Bar chart of MASE by horizon for " + models.map(\.name).joined(separator: ", ")
                                + "; below 1 beats the in-sample naive forecast.",
                            idPrefix: idPrefix)
        drawTitle(&svg, title)
        let colors = Palette.modelColors(report.backtestModels, baseline: report.baselineModel)
        drawLegend(&svg, panel.legend(colors), x: 16, y: 48, maxX: width - 16)
        panel.draw(&svg, in: PlotArea(left: 72, top: 80, width: width - 96, height: height - 80 - 40), colors: colors)
        return svg.finish()
    }
}
