import AugurCore
import AugurForecast
import AugurReport
import Foundation

/// Reports to render in tests: a small deterministic one, and one on the real S&P 500 closes.
enum ReportFixtures {
    static func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

    /// Business days from `start`, `count` of them.
    static func businessDays(from start: CivilDate, count: Int) -> [CivilDate] {
        var out: [CivilDate] = []
        var d = start
        while out.count < count {
            if !d.isWeekend { out.append(d) }
            d = d.adding(days: 1)
        }
        return out
    }

    /// A fan forecast from the last value: the point drifts slowly, bands widen with √h.
    static func fan(after history: [DatedValue], steps: Int, dailyVolatility: Double) -> ForecastPath {
        let last = history.last!
        let dates = businessDays(from: last.date.adding(days: 1), count: steps)
        let rows = dates.enumerated().map { i, date -> ForecastStep in
            let h = Double(i + 1)
            let point = last.value * (1 + 0.0003 * h)
            let sd = last.value * dailyVolatility * h.squareRoot()
            return ForecastStep(date: date, horizon: i + 1, point: point, lower80: point - 1.2816 * sd, upper80: point + 1.2816 * sd,
                               lower95: point - 1.96 * sd, upper95: point + 1.96 * sd)
        }
        return ForecastPath(origin: last.date, rows: rows)
    }

    static let backtest: [BacktestScore] = [
        BacktestScore(model: .lstm, horizon: 1, count: 250, values: [.mae: 12.5, .rmse: 17.25, .mape: 0.52, .smape: 0.521, .mase: 1.745, .relativeMAE: 1.009, .directionalAccuracy: 51.2, .coverage80: 78.4, .coverage95: 93.6, .pinball: 4.31]),
        BacktestScore(model: .naive, horizon: 1, count: 250, values: [.mae: 12.39, .rmse: 17.1, .mape: 0.515, .smape: 0.516, .mase: 1.729, .relativeMAE: 1, .directionalAccuracy: 0.4, .coverage80: 80.8, .coverage95: 95.2, .pinball: 4.25]),
        BacktestScore(model: .lstm, horizon: 5, count: 246, values: [.mae: 26.1, .rmse: 34.0, .mape: 1.09, .smape: 1.09, .mase: 3.64, .relativeMAE: 0.985, .directionalAccuracy: 53.3, .coverage80: 77.0, .coverage95: 92.7, .pinball: 9.02]),
        BacktestScore(model: .naive, horizon: 5, count: 246, values: [.mae: 26.5, .rmse: 34.6, .mape: 1.1, .smape: 1.1, .mase: 3.697, .relativeMAE: 1, .coverage80: 79.3, .coverage95: 94.3, .pinball: 9.2]),
        BacktestScore(model: .drift, horizon: 1, count: 250, values: [.mae: 12.41, .rmse: 17.12, .mape: 0.516, .smape: 0.517, .mase: 1.731]),
        BacktestScore(model: .drift, horizon: 5, count: 246, values: [.mae: 26.4, .rmse: 34.5, .mape: 1.1, .smape: 1.1, .mase: 3.68]),
        BacktestScore(model: .seq2seq, horizon: 1, count: 0, values: [.mase: 1.70]), BacktestScore(model: .seq2seq, horizon: 5, count: 0, values: [.mase: 3.71]),
    ]

    static func trainingHistories() -> [TrainingHistory] {
        func run(_ label: String, _ scale: Double) -> TrainingHistory {
            TrainingHistory(label: label, epochs: (1...30).map { e in
                let t = Double(e)
                return EpochLoss(epoch: e, train: scale * (0.02 / t + 0.001), validation: scale * (0.015 / t + 0.0013 + 0.00005 * t))
            })
        }
        return [run("stateful", 1), run("stateless", 1.1)]
    }

    /// A small synthetic report: 40 daily closes, a 5-step forecast, two models' backtest.
    static func small(symbol: String = "TEST") -> SymbolReport {
        let dates = businessDays(from: day("2024-01-02"), count: 40)
        let recent = dates.enumerated().map { i, d in
            DatedValue(date: d, value: 100 + Double(i) * 0.5 + (i % 3 == 0 ? 1.5 : -0.75))
        }
        let residuals = dates.suffix(30).enumerated().map { i, d in DatedValue(date: d, value: Double((i * 7) % 11) - 5) }
        return SymbolReport(
            symbol: symbol, frequency: .daily, dataRange: DataRange(first: day("2015-01-02"), last: dates.last!, count: 2_330),
            recent: recent,
            model: ModelSummary(kind: .lstm, cell: "lstm", mode: "stateful", details: "2 × 64, lookback 60",
                                trainedFrom: day("2015-01-02"), trainedTo: day("2023-06-30"),
                                bestValidationLoss: 0.000123, randomWalkValidationLoss: 0.00013),
            forecast: fan(after: recent, steps: 5, dailyVolatility: 0.01),
            backtest: backtest, residuals: residuals, trainingHistories: trainingHistories(),
            comparisons: [ModelComparison(title: "Seq2Seq vs plain", models: [.lstm, .seq2seq, .naive])],
            verdict: Verdict.judge(.lstm, against: .naive, in: backtest), generatedOn: day("2024-03-01"))
    }

    /// The S&P 500 closes of data/sp500_daily.csv (parsed here; tests do not depend on AugurIngest).
    static func sp500() throws -> [DatedValue] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/sp500_daily.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let fields = line.split(separator: ",")
            guard fields.count >= 5, let date = CivilDate(iso: String(fields[0])), let close = Double(fields[4]) else { return nil }
            return DatedValue(date: date, value: close)
        }
    }

    /// A realistic report on the real S&P 500 closes with a fake forecast fan and residuals.
    static func sp500Report(symbol: String = "^GSPC") throws -> SymbolReport {
        let closes = try sp500()
        let recent = Array(closes.suffix(250))
        let changes = zip(closes.dropFirst(), closes).map { $0.value - $1.value }
        let residualDates = closes.suffix(500).map(\.date)
        let residuals = zip(residualDates, changes.suffix(500)).map { DatedValue(date: $0, value: $1 * 1.02 - 0.3) }
        var report = small(symbol: symbol)
        report.dataRange = DataRange(first: closes.first!.date, last: closes.last!.date, count: closes.count)
        report.recent = recent
        report.forecast = fan(after: recent, steps: 20, dailyVolatility: 0.011)
        report.residuals = residuals
        report.backtest += [
            BacktestScore(model: .lstm, horizon: 20, count: 0, values: [.mase: 7.4]), BacktestScore(model: .naive, horizon: 20, count: 0, values: [.mase: 7.2]),
            BacktestScore(model: .drift, horizon: 20, count: 0, values: [.mase: 7.25]), BacktestScore(model: .seq2seq, horizon: 20, count: 0, values: [.mase: 7.1]),
        ]
        report.verdict = Verdict.judge(.lstm, against: .naive, in: report.backtest)
        return report
    }
}
