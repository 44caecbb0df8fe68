#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `loss.svg`: training and validation loss by epoch, one panel per training run (stateful and stateless
/// side by side), on shared axes so the runs compare at a glance. A log scale is used when the loss falls
/// by more than a factor of 20, so later epochs are not flattened against the first.
public enum LossChart {
    static let width = 800.0, height = 380.0

    public static func svg(_ report: SymbolReport, idPrefix: String = "loss") -> String {
        let runs = report.trainingHistories.filter { !$0.epochs.isEmpty }
        let title = "\(report.symbol): training and validation loss"
        var svg = SVGWriter(width: width, height: height, title: title, description: description(runs), idPrefix: idPrefix)
        drawTitle(&svg, title)
        let losses = runs.flatMap { $0.epochs.flatMap { [$0.train] + ($0.validation.map { [$0] } ?? []) } }.filter(\.isFinite)
        let epochs = runs.flatMap { $0.epochs.map(\.epoch) }
        guard let low = losses.min(), let high = losses.max(), let firstEpoch = epochs.min(), let lastEpoch = epochs.max() else {
            svg.element("text", [("x", "400"), ("y", "190"), ("text-anchor", "middle")], text: "No training history")
            return svg.finish()
        }
        drawLegend(&svg, [LegendItem(label: "Training", color: Palette.blue, mark: .line),
                          LegendItem(label: "Validation", color: Palette.vermillion, mark: .line),
                          LegendItem(label: "Best validation", color: Palette.vermillion, mark: .dot)],
                   x: 16, y: 48, maxX: width - 16)
        // Scaled to the losses, not from zero (from zero both curves were flat lines at the top), and
        // on a log scale when they span more than a factor of ten.
        let logScale = low > 0 && high / low > 10
        let ticks = logScale ? logTicks(low, high) : Ticks.values(covering: low, high, targetCount: 5)
        let epochTicks = integerTicks(Double(firstEpoch), Double(lastEpoch), targetCount: 6)
        let gap = 80.0
        let panelWidth = (width - 72 - 24 - gap * Double(runs.count - 1)) / Double(runs.count)
        for (i, run) in runs.enumerated() {
            let plot = PlotArea(left: 72 + Double(i) * (panelWidth + gap), top: 96, width: panelWidth, height: height - 96 - 40)
            let x = LinearScale(domain: (epochTicks.lower, epochTicks.upper), range: (plot.left, plot.right))
            let y = LinearScale(domain: logScale ? (log10(ticks.lower), log10(ticks.upper)) : (ticks.lower, ticks.upper),
                                range: (plot.bottom, plot.top))
            func yOf(_ v: Double) -> Double { logScale ? (v > 0 ? y(log10(v)) : .nan) : y(v) }
            svg.element("text", [("class", "panel-title"), ("x", c(plot.left)), ("y", c(plot.top - 12)), ("font-size", "13"),
                                 ("font-weight", "bold"), ("fill", Palette.axis)], text: run.label)
            svg.open("g", [("class", "axis axis-y"), ("font-size", "11"), ("fill", Palette.axis)])
            for (value, label) in zip(ticks.values, ticks.labels) {
                let ty = yOf(value)
                svg.element("line", [("x1", c(plot.left)), ("x2", c(plot.right)), ("y1", c(ty)), ("y2", c(ty)),
                                     ("stroke", Palette.grid), ("stroke-width", "1")])
                svg.element("text", [("x", c(plot.left - 6)), ("y", c(ty + 4)), ("text-anchor", "end")], text: label)
            }
            if i == 0 {
                svg.element("text", [("x", c(plot.left)), ("y", c(plot.top - 28)), ("text-anchor", "start"),
                                     ("fill", Palette.muted)], text: logScale ? "loss (MSE, log scale)" : "loss (MSE)")
            }
            svg.close()
            plot.drawBottomAxis(&svg, ticks: zip(epochTicks.values, epochTicks.labels).map { (x($0), $1) },
                                className: "axis-x")
            svg.element("text", [("x", c(plot.right)), ("y", c(plot.bottom + 34)), ("text-anchor", "end"),
                                 ("font-size", "11"), ("fill", Palette.muted)], text: "epoch")
            let train = run.epochs.map { (x: x(Double($0.epoch)), y: yOf($0.train)) }
            svg.element("path", [("class", "series series-train"), ("data-run", run.label), ("d", pathData(train)),
                                 ("fill", "none"), ("stroke", Palette.blue), ("stroke-width", "2"), ("stroke-linejoin", "round")])
            let validation = run.epochs.compactMap { e in e.validation.map { (x: x(Double(e.epoch)), y: yOf($0)) } }
            guard !validation.isEmpty else { continue }
            svg.element("path", [("class", "series series-validation"), ("data-run", run.label), ("d", pathData(validation)),
                                 ("fill", "none"), ("stroke", Palette.vermillion), ("stroke-width", "2"),
                                 ("stroke-linejoin", "round")])
            if let best = run.epochs.filter({ $0.validation?.isFinite == true }).min(by: { $0.validation! < $1.validation! }),
               let value = best.validation {
                svg.open("circle", [("class", "best"), ("cx", c(x(Double(best.epoch)))), ("cy", c(yOf(value))),
                                    ("r", "4"), ("fill", Palette.vermillion)])
                svg.element("title", [], text: "\(run.label): best validation loss \(ReportSections.loss(value)) at epoch \(best.epoch)")
                svg.close()
            }
        }
        return svg.finish()
    }

    /// Powers of ten covering `low…high`, with 2 and 5 between them when the span is under three decades.
    static func logTicks(_ low: Double, _ high: Double) -> ValueTicks {
        let first = Int(floor(log10(low))), last = Int(ceil(log10(high)))
        let multiples: [Double] = last - first < 3 ? [1, 2, 5] : [1]
        var values: [Double] = []
        for e in first...last {
            for m in multiples {
                let v = m * NumberFormat.power10Signed(e)
                if v >= NumberFormat.power10Signed(first) && v <= NumberFormat.power10Signed(last) { values.append(v) }
            }
        }
        let labels = values.map { v -> String in
            v >= 0.001 && v < 100_000 ? NumberFormat.fixed(v, decimals: max(0, -Int(v.log10Floor)))
                                      : NumberFormat.scientific(v, digits: 1)
        }
        return ValueTicks(lower: values[0], upper: values[values.count - 1], step: 10, values: values, labels: labels)
    }

    private static func description(_ runs: [TrainingHistory]) -> String {
        guard !runs.isEmpty else { return "No training history." }
        return "Line charts of training and validation loss by epoch for "
            + runs.map { "\($0.label) (\($0.epochs.count) epochs)" }.joined(separator: " and ") + "."
    }
}
