import ArgumentParser
import AugurApp
import AugurCore
import AugurForecast
import AugurReport
import Foundation

private func price(_ v: Double?) -> String { fixed(v, 2) }

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast a symbol's next periods with 80% and 95% intervals.",
        discussion: """
            By default forecasts with auto: per horizon, the model or combination that a rolling-origin \
            validation inside the symbol's history shows best (baselines, SES, Holt, theta, AutoETS, \
            AutoARIMA, the recurrent models the symbol has stored — --neural trains the default LSTM first — \
            and the median or an inverse-error-weighted mean of the best three), unless it fails to \
            beat the right baseline (seasonal naive for a seasonal series, naive otherwise) by a one-sided \
            Diebold–Mariano test at 5%: then the baseline, and "no skill shown". The output names the choice \
            per horizon with its validation MASE, the baseline's and the test's p-value. The selection is \
            stored and reused (only its models are refitted to new data) until the data has grown by 10%, a \
            longer horizon is asked for, or --reselect. \
            --method NAME forecasts with any registered model instead: a statistical one (autoarima, \
            autoets, theta, …) is fitted on the spot to the whole history, named with the form and \
            parameters it chose, and its forecast is stored with them; a neural one (lstm, gru, rnn, \
            seq2seq) uses the symbol's newest model of that kind (compare-modes' models are kept for \
            comparison and never chosen), from its stored state advanced over any bars imported since \
            (replayed from the start when an earlier bar was corrected), trained with the defaults first \
            when there is none, with conformal intervals from its own errors. --model ID uses that stored \
            neural model.

            Intervals (auto and statistical models): from the calibration layer. The model is forecast from \
            each of the newest 500 origins (at most half the history), each fit seeing only the data before \
            its origin; validation on those forecasts chooses how their errors become intervals (conformal \
            scores scaled by the local volatility — EWMA or GARCH(1,1) — with or without adaptive conformal \
            inference; for weekly and coarser data also split conformal and the model's own intervals). The \
            record is stored and every later forecast adds its path to it, so tomorrow's interval learns \
            from today's miss; it is made anew with a new auto selection or a longer horizon. \
            --intervals model shows the model's own, --intervals split plain split conformal.

            Several symbols (or --all) are forecast one after the other; one that fails is reported and the \
            others go on (the exit status is the worst). --format csv prints one CSV for all of them \
            (symbol, model, as_of, date, h, forecast and the interval bounds, at full precision); --format \
            json one object, or an array for several symbols.

            Example:
              augur forecast SP500_DAILY --horizon 5
              augur forecast --all --format csv > forecasts.csv
              augur forecast AIRLINE_PASSENGERS_MONTHLY --horizon 12 --reselect
              augur forecast AIRLINE_PASSENGERS_MONTHLY --method autoarima --horizon 12
              augur forecast VIX_DAILY --method lstm
            """)

    @OptionGroup var selection: SymbolSelection
    @OptionGroup var database: DatabaseOption
    @Option(parsing: .unconditional, help: "A stored neural model's id.") var model: Int64?
    @Option(help: ArgumentHelp("The model to forecast with, by name (\(ModelKind.allCases.map(\.name).joined(separator: ", "))); "
                               + "default auto. A statistical one is fitted on the spot, a neural one uses the newest stored model of that kind.",
                               valueName: "name"))
    var method: String?
    @Flag(help: "Make auto's selection anew instead of reusing the stored one.") var reselect = false
    @Flag(help: "auto: weigh the neural models too (the default LSTM is trained first when the symbol has none; any stored recurrent model is always weighed).")
    var neural = false
    @Option(parsing: .unconditional, help: "Season length for --method's seasonal models (default: from the data's frequency).")
    var season: Int?
    @Option(parsing: .unconditional, help: "Periods ahead.") var horizon: Int = 5
    @Option(help: ArgumentHelp("calibrated (default), split or model: see above.", valueName: "kind"))
    var intervals: IntervalPolicy = .calibrated
    @Option(help: ArgumentHelp("Market holidays to skip: a file of YYYY-MM-DD dates, one per line.", valueName: "file"))
    var holidays: String?
    @OptionGroup var output: OutputOption

    func validate() throws {
        try selection.check()
        if model != nil, selection.all || selection.symbols.count > 1 {
            throw ValidationError("--model ID names one symbol's model; forecast one symbol with it")
        }
        if horizon < 1 || horizon > 1000 { throw ValidationError("--horizon must be between 1 and 1000") }
        if let method { do { _ = try ModelKind(name: method) } catch { throw ValidationError("--method: \(error)") } }
        if method != nil, model != nil { throw ValidationError("give --model ID or --method NAME, not both") }
        if let s = season, s < 1 { throw ValidationError("--season must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let format = try output.resolved()
            let db = try database.open()
            let calendar = try HolidayFile.calendar(path: holidays)
            let kind = try method.map { try ModelKind(name: $0) }
            let tables = try selection.each(database: db) { symbol in
                let progress = ProgressPrinter(quiet: format != .table)
                let t = try ForecastUseCase.run(symbol: symbol, modelID: model, method: kind, horizon: horizon, season: season,
                                                reselect: reselect, neural: neural, intervals: intervals, database: db,
                                                calendar: calendar, onEpoch: progress.callback())
                if t.trained != nil { progress.finish() }
                return t
            } printing: { t, index in
                if format == .table { print((index > 0 ? "\n" : "") + ForecastCommand.text(t)) }
            }
            switch format {
            case .table: break
            case .csv: print(String(CSVOutput.forecasts(tables.values).dropLast()))
            case .json: if selection.isSingle, let t = tables.values.first { try Console.json(t) } else { try Console.json(tables.values) }
            }
            try tables.finish()
        }
    }

    static func text(_ t: ForecastTable) -> String {
        var out: [String] = []
        func print(_ s: String) { out.append(s) }
        let which = t.modelID.map { "\(t.model) model \($0) (\(TrainingMode.label(t.mode)))" }
            ?? (t.fitted.map { "\(t.model) \($0)" } ?? "\(t.model)")
        let d = NumberFormat.decimals(for: t.rows)
        func price(_ v: Double?) -> String { fixed(v, d) }
        print("\(t.symbol): \(which), as of \(t.asOf), last \(t.kind == .value ? "value" : "close") \(price(t.lastClose))"
              + (t.advancedBars > 0 ? " (state advanced over \(t.advancedBars) new bars)" : ""))
        for note in t.notes { print("note: \(note)") }
        if let lines = t.selection {
            print("selection (\(t.selectionSource ?? "")):")
            for line in lines { print("  \(line)") }
        }
        if let i = t.intervals { print("intervals: \(i)") }
        if let c = t.calendar { print("dates skip \(c)") }
        print(TextTable.render(["date", "h", "forecast", "80% low", "80% high", "95% low", "95% high"], t.rows.map {
            [$0.date.iso, String($0.horizon), price($0.point), price($0.lower80), price($0.upper80),
             price($0.lower95), price($0.upper95)]
        }, rightAligned: Set(1...6)))
        return out.joined(separator: "\n")
    }
}

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin backtest of auto, the neural models and the statistical ones against the baselines.",
        discussion: """
            Protocol: the last 1,000 observations (all if fewer); the test part is their last 20%; an origin \
            every 5 steps for daily data (every step for monthly or coarser); horizons 1, 5, 20 for daily data \
            and 1, 6, 12 for monthly. Baselines refit at every origin; a neural model trains once on the data \
            before the first origin (with the symbol's saved configuration, or the defaults; with calibrated \
            intervals, before the first calibration origin, half-way through the training part) and advances \
            its state through the test part (--refit-every N retrains every N origins); auto selects at each \
            origin from the data before it (anew every 25 observations of daily data, 5 monthly; the chosen \
            models refitted in between). MASE is scaled by the in-sample (seasonal) \
            naive MAE of the training part. The neural models and auto are judged against the right baseline \
            (seasonal naive for a seasonal series, naive otherwise) at each horizon, with the two-sided \
            Diebold–Mariano p-value of the difference.

            Intervals (--intervals calibrated, the default): every model forecasts from every observation \
            from half the training part on, and each origin's intervals come from the errors resolved before \
            it, scaled by the local volatility (EWMA or GARCH(1,1)) and adapted online (ACI); the method is \
            chosen on the training part. split: plain split conformal on the same forecasts; model: each \
            model's own intervals on the protocol's origins alone. --coverage-chart FILE writes the first \
            model's rolling coverage (SVG).

            Several symbols (or --all) run one after the other, a failing one reported while the others go \
            on. --format csv prints one CSV of every symbol's scores (symbol, model, h, n and one column per \
            metric); --format json the rows of one symbol, or an array of {symbol, rows} for several.

            Example:
              augur backtest SP500_DAILY
              augur backtest --all --models naive,theta,autoets --format csv > scores.csv
              augur backtest AIRLINE_PASSENGERS_MONTHLY --models lstm,naive,snaive,theta --json
            """)

    @OptionGroup var selection: SymbolSelection
    @OptionGroup var database: DatabaseOption
    @Option(help: ArgumentHelp("Comma-separated, of: \(ModelKind.allCases.map(\.name).joined(separator: ",")).",
                               valueName: "models"))
    var models: String = ModelKind.backtestDefaults.map(\.name).joined(separator: ",")
    @Option(help: "Comma-separated horizons (default: 1,5,20 daily; 1,6,12 monthly).") var horizons: String?
    @Option(parsing: .unconditional, help: "Season length for snaive, theta, autoets and autoarima (default: from the data's frequency).") var season: Int?
    @Option(parsing: .unconditional, help: "Retrain the neural models every N origins (default: train once).") var refitEvery: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Distance between origins (default: 5 daily, 1 otherwise); 1 on a daily series gives about 200 origins, which an 80% coverage needs to be read to ±3 points.", valueName: "N"))
    var originStep: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("How many of the newest observations the backtest uses (default: the protocol's 1000); a daily series with a yearly cycle needs over three years for a model to learn it before the first origin.", valueName: "N"))
    var window: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Train each recurrent model as a seed ensemble of K networks (seeds seed … seed+K−1) forecasting their median (default: the saved model's setting, or 1).", valueName: "K"))
    var ensemble: Int?
    @Option(help: ArgumentHelp("The recurrent models' head: recursive or direct (default: the saved model's, or recursive).", valueName: "recursive|direct"))
    var head: ForecastHead?
    @Option(help: ArgumentHelp("Which intervals are scored: calibrated (the method validation chooses on the training part, the default), split (split conformal on each model's recent errors) or model (each model's own).", valueName: "kind"))
    var intervals: IntervalPolicy = .calibrated
    @Option(parsing: .unconditional, help: ArgumentHelp("Distance between the origins whose errors calibrate the intervals (default: the protocol's origin step, whatever --origin-step says).", valueName: "N"))
    var calibrationStep: Int?
    @Option(help: ArgumentHelp("Also write the rolling-coverage chart (SVG) of the first model at the first horizon to this file.",
                               valueName: "file"))
    var coverageChart: String?
    @OptionGroup var output: OutputOption

    /// The models named, each parsed at this edge; an unknown name lists the known ones.
    func modelList() throws -> [ModelKind] {
        try models.split(separator: ",").map { (name) throws(UnknownName) in try ModelKind(name: String(name)) }
    }
    var horizonList: [Int]? { horizons.map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } } }

    func validate() throws {
        try selection.check()
        if coverageChart != nil, !selection.isSingle { throw ValidationError("--coverage-chart writes one symbol's chart; backtest one symbol with it") }
        do {
            if try modelList().isEmpty { throw ValidationError("--models names no model") }
        } catch let e as UnknownName { throw ValidationError("--models: \(e)") }
        if let h = horizons, horizonList?.count != h.split(separator: ",").count || horizonList!.contains(where: { $0 < 1 }) {
            throw ValidationError("--horizons must be positive whole numbers separated by commas")
        }
        if let s = season, s < 1 { throw ValidationError("--season must be at least 1") }
        if let r = refitEvery, r < 1 { throw ValidationError("--refit-every must be at least 1") }
        if let o = originStep, o < 1 { throw ValidationError("--origin-step must be at least 1") }
        if let w = window, w < 10 { throw ValidationError("--window must be at least 10") }
        if let k = ensemble, !(1...32).contains(k) { throw ValidationError("--ensemble must be between 1 and 32") }
        if let c = calibrationStep, c < 1 { throw ValidationError("--calibration-step must be at least 1") }
    }

    /// One symbol's rows in the JSON of several.
    struct SymbolRows: Encodable { var symbol: String; var rows: [BacktestScore] }

    func run() throws {
        try reportingErrors {
            let format = try output.resolved()
            let db = try database.open()
            let reports = try selection.each(database: db) { symbol in
                let r = try BacktestUseCase.run(symbol: symbol, models: try modelList(), horizons: horizonList, season: season,
                                                refitEvery: refitEvery, originStep: originStep, intervals: intervals,
                                                calibrationStep: calibrationStep, window: window, ensemble: ensemble, head: head,
                                                database: db)
                if let path = coverageChart, let model = try modelList().first {
                    try BacktestUseCase.writeCoverageChart(backtestID: r.backtestID, model: model, horizon: r.horizons.first ?? 1,
                                                           method: r.intervalChoices[model].map { "\($0)" }, to: path,
                                                           database: db)
                }
                return r
            } printing: { r, index in
                if format == .table { print((index > 0 ? "\n" : "") + BacktestCommand.text(r)) }
            }
            switch format {
            case .table: break
            case .csv: print(String(CSVOutput.backtests(reports.values).dropLast()))
            case .json:
                if selection.isSingle, let r = reports.values.first { try Console.json(r.rows) }
                else { try Console.json(reports.values.map { SymbolRows(symbol: $0.symbol, rows: $0.rows) }) }
            }
            try reports.finish()
        }
    }

    static func text(_ r: BacktestReport) -> String {
        func f(_ v: Double?, _ digits: Int = 3) -> String { fixed(v, digits) }
        var out = ["\(r.symbol): \(r.first) … \(r.last), \(r.origins) origins, \(String(format: "%.1f", r.seconds)) s"
                   + r.neuralTrainingSeconds.sorted { $0.key < $1.key }.map { String(format: "; %@ trained in %.1f s", $0.key.name, $0.value) }.joined()]
        for h in r.horizons {
            let rows = r.rows.filter { $0.horizon == h }.sorted { ($0[.mase] ?? .infinity) < ($1[.mase] ?? .infinity) }
            out.append("")
            out.append("horizon \(h) (\(rows.first?.count ?? 0) forecasts scored)")
            out.append(TextTable.render(
                ["model", "MASE", "rel MAE", "MAE", "RMSE", "sMAPE", "MAPE", "dir", "cov80", "cov95", "MSIS", "pinball"],
                rows.map { [$0.model.name, f($0[.mase]), f($0[.relativeMAE]), f($0[.mae], 2), f($0[.rmse], 2),
                            f($0[.smape], 2), f($0[.mape], 2), f($0[.directionalAccuracy], 2), f($0[.coverage80], 2),
                            f($0[.coverage95], 2), f($0[.msis], 2), f($0[.pinball], 2)] },
                rightAligned: Set(1...11)))
        }
        out.append("")
        if r.intervals != .model {
            out.append("intervals (\(r.intervals.rawValue), \(r.calibrationOrigins) calibration origins before the first scored one): "
                       + r.rows.map(\.model).reduce(into: [ModelKind]()) { if !$0.contains($1) { $0.append($1) } }
                           .compactMap { m in r.intervalChoices[m].map { "\(m.name) \($0)" } }.joined(separator: "; "))
        }
        out += r.verdicts.map(VerdictText.sentence)
        // Each undefined metric's reason, once ("mase undefined for every model: the training data never changes").
        var reasons: [String: [String]] = [:], order: [String] = []
        for row in r.rows {
            for (metric, reason) in row.reasons.sorted(by: { $0.key.key < $1.key.key }) {
                let key = "\(metric.key) undefined: \(reason)"
                if reasons[key] == nil { order.append(key); reasons[key] = [] }
                if !(reasons[key]!.contains(row.model.name)) { reasons[key]!.append(row.model.name) }
            }
        }
        out += order.map { "\($0) (\(reasons[$0]!.joined(separator: ", ")))" }
        out += r.skipped.sorted { $0.key < $1.key }.map { "\($0.key) left out: \($0.value)" }
        return out.joined(separator: "\n")
    }
}

struct Daily: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The evening job: forecast every symbol with new bars and store the forecasts.",
        discussion: """
            By default every symbol is forecast with auto: its stored selection is reused and only the models \
            it chose are refitted to the new bars (the selection is made anew when the data has grown by 10% \
            since, or with --reselect). --method NAME uses one model for the whole run: a statistical one is \
            fitted on the spot; a neural one (lstm, gru, rnn) advances the stored state over the new bars only \
            (cost proportional to them, not to the history), training a model first when a symbol has none \
            (or skipping it with --no-train). One line per symbol; running it twice on the same data does \
            nothing new.

            Example:
              augur import today/*.csv && augur daily
              augur daily --method lstm
            """)

    @OptionGroup var database: DatabaseOption
    @Option(parsing: .unconditional, help: "Periods to forecast and store.") var horizon: Int = 5
    @Option(help: ArgumentHelp("The model for every symbol (default auto): any of \(ModelKind.allCases.filter { $0 != .seq2seq }.map(\.name).joined(separator: ", ")).",
                               valueName: "name"))
    var method: String?
    @Flag(help: "Make auto's selections anew instead of reusing the stored ones.") var reselect = false
    @Flag(help: "auto: weigh the neural models too (the default LSTM is trained first where a symbol has none; stored recurrent models are always weighed).")
    var neural = false
    @Option(parsing: .unconditional, help: "Neural models: retrain one whose data ends more than N days before the newest bar.") var retrainAfter: Int?
    @Flag(help: "Neural models: skip symbols without a model instead of training one.") var noTrain = false
    @Option(help: ArgumentHelp("Market holidays to skip: a file of YYYY-MM-DD dates, one per line.", valueName: "file"))
    var holidays: String?
    @OptionGroup var sharding: ShardOption
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        _ = try sharding.resolved()
        if horizon < 1 || horizon > 1000 { throw ValidationError("--horizon must be between 1 and 1000") }
        if let r = retrainAfter, r < 0 { throw ValidationError("--retrain-after must be 0 or more") }
        if let method {
            let kind: ModelKind
            do { kind = try ModelKind(name: method) } catch { throw ValidationError("--method: \(error)") }
            if kind == .seq2seq { throw ValidationError("--method: the daily job cannot advance seq2seq; forecast it with `augur forecast SYMBOL --method seq2seq`") }
        }
    }

    func run() throws {
        try reportingErrors {
            var options = DailyUseCase.Options()
            options.horizon = horizon
            options.retrainAfterDays = retrainAfter
            options.noTrain = noTrain
            options.reselect = reselect
            options.neural = neural
            if let method { options.method = try ModelKind(name: method) }
            options.shard = try sharding.resolved()
            // On a terminal, one live line on standard error (symbol k of N, what it does, ETA); the
            // results go to standard output as each symbol finishes. Quiet when not a terminal.
            let live = !json && Console.stderrIsTerminal
            let lines = try DailyUseCase.run(options: options, database: try database.open(),
                                             calendar: try HolidayFile.calendar(path: holidays),
                                             onProgress: live ? { Console.status(Daily.progressText($0)) } : nil,
                                             onLine: json ? nil : { l in
                                                 if live { Console.status(nil) }
                                                 print(Daily.text(l))
                                             })
            if live { Console.status(nil) }
            if json { try Console.json(lines) }
            if lines.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
        }
    }

    /// The live progress line: "[3/12] SP500_DAILY: training, epoch 14/100 · 8.1 s, ETA 24 s".
    static func progressText(_ p: DailyUseCase.Progress) -> String {
        let doing: String = switch p.stage {
        case .forecasting: "forecasting"
        case .training(let epoch, let of): "training, epoch \(epoch)/\(of)"
        }
        let eta = p.eta.map { String(format: ", ETA %.0f s", $0) } ?? ""
        return "[\(p.index + 1)/\(p.count)] \(p.symbol): \(doing) · " + String(format: "%.1f s", p.elapsed) + eta
    }

    static func text(_ l: DailyLine) -> String {
        switch l.status {
        case .skipped:
            return "\(l.symbol): skipped: \(l.message ?? "")" + (l.message == "no model" ? " (train one with `augur train \(l.symbol)`)" : "")
        case .failed: return "\(l.symbol): failed: \(l.message ?? "")"
        case .forecast, .upToDate:
            let d = NumberFormat.decimals(resolving: l.lower80.flatMap { lo in l.upper80.map { ($0 - lo) / 2 } } ?? abs(l.lastClose ?? 0) / 100)
            func price(_ v: Double?) -> String { fixed(v, d) }
            let change = l.change.map { String(format: "%+.2f%%", $0 * 100) }
                ?? l.difference.map { ($0 >= 0 ? "+" : "") + price($0) } ?? "-"
            return "\(l.symbol): as of \(l.asOf?.iso ?? "-") \(l.difference == nil ? "close" : "value") \(price(l.lastClose)); \(l.nextDate?.iso ?? "-") "
                + "forecast \(price(l.nextForecast)) [80%: \(price(l.lower80)) … \(price(l.upper80))] \(change)"
                + (l.model.map { " \($0)" } ?? "") + (l.choice.map { ": \($0)" } ?? "")
                + (l.reselected == true ? " (selected now)" : "")
                + (l.status == .upToDate ? " (up to date, nothing new)" : "")
                + (l.advancedBars > 0 ? " (advanced over \(l.advancedBars) new bars)" : "")
                + (l.retrained ? " (model trained)" : "")
        }
    }
}
