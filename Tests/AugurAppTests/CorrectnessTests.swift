import AugurTestSupport
import AugurStore
import Foundation
import Testing

/// Issue 12, item by item, through the `augur` executable as a user runs it.
@Suite(.serialized) struct CorrectnessTests {
    struct Env {
        let dir = Fixtures.temporaryDirectory("augur-correct")
        var db: String { dir.appendingPathComponent("db.sqlite").path }
        var env: [String: String] { ["AUGUR_DB": db] }
        func run(_ args: [String]) throws -> Fixtures.RunResult { try Fixtures.runAugur(args, environment: env, currentDirectory: dir) }
        func write(_ text: String, _ name: String) -> String { Fixtures.write(text, named: name, in: dir) }
        func cleanUp() { Fixtures.cleanUp(dir) }
    }

    /// Business-day `Date,Close` rows from 2019-01-01.
    static func csv(_ closes: [Double]) -> String {
        var d = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                               year: 2019, month: 1, day: 1).date!
        var lines = ["Date,Close"]
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"; f.timeZone = TimeZone(identifier: "UTC"); f.locale = Locale(identifier: "en_US_POSIX")
        var i = 0
        while i < closes.count {
            let weekday = Calendar(identifier: .gregorian).component(.weekday, from: d)
            if weekday != 1, weekday != 7 { lines.append("\(f.string(from: d)),\(closes[i])"); i += 1 }
            d = d.addingTimeInterval(86_400)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func walk(_ n: Int, seed: UInt64 = 3) -> [Double] {
        var state = seed, p = 80.0
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            p *= 1 + (Double(state >> 11) / Double(1 << 53) - 0.5) * 0.03
            return (p * 100).rounded() / 100
        }
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// 1. A corrected close is used: the state is replayed, daily forecasts again, forecast shows it.
    @Test(arguments: [[String](), ["--method", "lstm"]])
    func aCorrectedPriceIsUsed(method: [String]) throws {
        // auto (the default): the stored forecast's digest no longer matches; lstm: the state is replayed.
        let e = Env(); defer { e.cleanUp() }
        var closes = Self.walk(300)
        let path = e.write(Self.csv(closes), "fix.csv")
        #expect(try e.run(["import", path]).status == 0)
        let first = try e.run(["daily"] + method)
        #expect(first.status == 0, "\(first.stderr)")
        closes[closes.count - 1] = 70.00
        _ = e.write(Self.csv(closes), "fix.csv")
        let again = try e.run(["import", path])
        #expect(again.stdout.contains("1 updated"), "\(again.stdout)")
        let daily = try e.run(["daily"] + method)
        #expect(daily.stdout.contains("close 70.00") && !daily.stdout.contains("up to date"), "\(daily.stdout)")
        let forecast = try e.run(["forecast", "FIX", "--json"] + method)
        let f = try #require(try json(forecast.stdout) as? [String: Any])
        #expect(f["lastClose"] as? Double == 70)
        let h1 = try #require((f["rows"] as? [[String: Any]])?.first?["forecast"] as? Double)
        #expect(abs(h1 / 70 - 1) < 0.05, "forecast \(h1) should start near the corrected close 70")
        // The daily job stored the corrected forecast (and state): a second run has nothing new.
        #expect(try e.run(["daily"] + method).stdout.contains("up to date"))
    }

    /// 3. Bands contain the point forecast and do not narrow with the horizon, on a spike and on a
    /// constant series.
    @Test func bandsContainThePointAndWidenWithTheHorizon() throws {
        let e = Env(); defer { e.cleanUp() }
        var spike = Array(repeating: 100.0, count: 260)
        for i in spike.indices { spike[i] += Double(i % 7) * 0.01 }
        spike[200] = 160
        _ = try e.run(["import", e.write(Self.csv(spike), "spike.csv")])
        _ = try e.run(["import", e.write(Self.csv(Array(repeating: 50, count: 260)), "const.csv")])
        for symbol in ["SPIKE", "CONST"] {
            let r = try e.run(["forecast", symbol, "--horizon", "20", "--json", "--method", "lstm"])
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try #require((try json(r.stdout) as? [String: Any])?["rows"] as? [[String: Any]])
            var previous: (Double, Double, Double, Double)?
            for row in rows {
                let p = row["forecast"] as! Double, l80 = row["lower80"] as! Double, u80 = row["upper80"] as! Double
                let l95 = row["lower95"] as! Double, u95 = row["upper95"] as! Double
                #expect(l95 <= l80 && l80 <= p && p <= u80 && u80 <= u95, "\(symbol) \(row)")
                let widths = (log(p / l80), log(u80 / p), log(p / l95), log(u95 / p))
                if let q = previous {
                    #expect(widths.0 >= q.0 - 1e-12 && widths.1 >= q.1 - 1e-12 && widths.2 >= q.2 - 1e-12 && widths.3 >= q.3 - 1e-12,
                            "\(symbol) h=\(row["horizon"]!): band narrowed")
                }
                previous = widths
            }
        }
    }

    /// 4. An exploratory backtest does not replace the report's; the report says which it used.
    @Test func theReportKeepsItsStandardBacktest() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", Fixtures.data("airline_passengers_monthly.csv")])
        let first = try e.run(["report", "--stdout"])
        #expect(first.stdout.contains("Backtest    no. 1,") && first.stdout.contains("standard protocol (h 1, 6, 12)"),
                "\(first.stdout.prefix(900))")
        #expect(try e.run(["backtest", "AIRLINE_PASSENGERS_MONTHLY", "--models", "naive,snaive", "--horizons", "1,2"]).status == 0)
        let again = try e.run(["report", "--stdout"])
        #expect(again.stdout.contains("Backtest    no. 1,") && !again.stdout.contains("no. 2"), "\(again.stdout.prefix(900))")
    }

    /// 5. compare-modes does not change the model a forecast uses, says it, and does not pile up models.
    @Test func compareModesDoesNotChangeTheForecastModel() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", Fixtures.data("vix_daily.csv")])
        #expect(try e.run(["train", "VIX_DAILY", "--epochs", "2", "--quiet"]).status == 0)
        for _ in 0..<2 { #expect(try e.run(["compare-modes", "VIX_DAILY", "--epochs", "2"]).status == 0) }
        let forecast = try e.run(["forecast", "VIX_DAILY", "--method", "lstm"])
        #expect(forecast.stdout.hasPrefix("VIX_DAILY: lstm model 1 (stateful)"), "\(forecast.stdout)")
        let models = try #require(try json(try e.run(["models", "--json"]).stdout) as? [[String: Any]])
        #expect(models.count == 3, "one forecasting model and one comparison pair, not \(models.count)")
        #expect(models.filter { $0["role"] as? String == "comparison" }.count == 2)
    }

    /// 6. A constant series and prices near 1e300: no NaN or infinity reaches JSON or a table.
    @Test func noNaNOrInfinityInAnyOutput() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", e.write(Self.csv(Array(repeating: 50, count: 300)), "const.csv")])
        _ = try e.run(["import", e.write(Self.csv(Self.walk(300).map { $0 * 1e298 }), "huge.csv")])
        var outputs: [String] = []
        let models = ["--models", "lstm,naive,drift,ses,theta"]
        for args in [["train", "CONST", "--json", "--quiet"], ["train", "CONST", "--quiet"],
                     ["backtest", "HUGE", "--json"] + models, ["backtest", "HUGE"] + models, ["backtest", "CONST", "--json"] + models,
                     ["backtest", "CONST"] + models, ["forecast", "HUGE", "--json"], ["forecast", "CONST"], ["models"],
                     ["report", "--stdout"]] {
            let r = try e.run(args)
            #expect(r.status == 0, "\(args): \(r.status) \(r.stderr)")
            outputs.append(r.stdout)
            if args.contains("--json") { #expect((try? json(r.stdout)) != nil, "\(args) printed invalid JSON") }
        }
        for o in outputs {
            #expect(!o.lowercased().contains("nan") && !o.contains("inf"), "\(o.prefix(400))")
        }
        let train = try #require(try json(outputs[0]) as? [String: Any])
        #expect(train["relativeToRandomWalk"] is NSNull)
        #expect(outputs[1].contains("ratio –"))
        #expect(outputs[5].contains("mase undefined: the training data never changes"))
    }

    /// 7. Too short for a neural model: train says the minimum (exit 1), forecast and report fall back
    /// to naive and say so, backtest leaves the model out with a readable reason.
    @Test func tooShortSeriesFallBackToTheBaselines() throws {
        let e = Env(); defer { e.cleanUp() }
        for (n, name) in [(3, "three"), (10, "ten"), (40, "forty")] {
            _ = try e.run(["import", e.write(Self.csv(Self.walk(n)), "\(name).csv")])
        }
        for symbol in ["THREE", "TEN", "FORTY"] {
            let train = try e.run(["train", symbol, "--quiet"])
            #expect(train.status == 1 && train.stderr.contains("too short to train on: needs at least"), "\(symbol): \(train.stderr)")
            let forecast = try e.run(["forecast", symbol, "--method", "lstm"])
            #expect(forecast.status == 0 && forecast.stdout.contains("forecast from naive"), "\(symbol): \(forecast.stdout) \(forecast.stderr)")
            // auto on so short a series: the baseline, and why.
            let auto = try e.run(["forecast", symbol])
            #expect(auto.status == 0 && auto.stdout.contains("auto h 1–20: naive (no skill shown)")
                    && auto.stdout.contains("too short to validate"), "\(symbol): \(auto.stdout) \(auto.stderr)")
        }
        let backtest = try e.run(["backtest", "FORTY", "--models", "lstm,naive"])
        #expect(backtest.stdout.contains("lstm left out: too short to train on before the first origin"), "\(backtest.stdout)")
        let report = try e.run(["report", "FORTY", "THREE"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: e.dir.appendingPathComponent("Reports/THREE/report.txt").path))
    }

    /// 8. One bad symbol does not stop a report: the others and the index are written, exit 1.
    @Test func reportWritesEverySymbolItCan() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", Fixtures.data("airline_passengers_monthly.csv")])
        _ = try e.run(["import", e.write(Self.csv(Self.walk(40)), "forty.csv")])
        let r = try e.run(["report", "FORTY", "NOPE", "AIRLINE_PASSENGERS_MONTHLY"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("1 of 3 symbols could not be reported") && r.stderr.contains("NOPE"), "\(r.stderr)")
        let index = try String(contentsOfFile: e.dir.appendingPathComponent("Reports/index.html").path, encoding: .utf8)
        #expect(index.contains("FORTY") && index.contains("AIRLINE_PASSENGERS_MONTHLY"))
    }

    /// 9. Twenty rounds of two processes importing into a fresh database at once: all succeed.
    @Test func twoProcessesOnAFreshDatabase() throws {
        let e = Env(); defer { e.cleanUp() }
        let a = Fixtures.data("vix_daily.csv"), b = Fixtures.data("airline_passengers_monthly.csv")
        for round in 0..<20 {
            let db = e.dir.appendingPathComponent("fresh-\(round).sqlite").path
            let results = LockedList()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let r = try? Fixtures.runAugur(["import", i == 0 ? a : b, "--db", db])
                results.append(r.map { "\($0.status) \($0.stderr)" } ?? "did not run")
            }
            #expect(results.items.allSatisfy { $0.hasPrefix("0 ") }, "round \(round): \(results.items)")
        }
    }

    /// 10. Another program's SQLite file is refused and left byte-identical.
    @Test func aForeignDatabaseIsLeftAlone() throws {
        let e = Env(); defer { e.cleanUp() }
        let path = e.dir.appendingPathComponent("app.db").path
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path, "CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('keep me');"]
        try sqlite.run(); sqlite.waitUntilExit()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let r = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), "--db", path])
        #expect(r.status == 1 && r.stderr.contains("another program's SQLite database"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// 11. A killed report's temporaries and an earlier run's unlinked files are cleaned up.
    @Test func reportCleansUpAfterItself() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", Fixtures.data("airline_passengers_monthly.csv")])
        let folder = e.dir.appendingPathComponent("Reports/AIRLINE_PASSENGERS_MONTHLY")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for stale in [".report.txt.augur-tmp", "comparison-2.svg"] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(stale).path, contents: Data("old".utf8))
        }
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("notes.csv").path, contents: Data("mine".utf8))
        #expect(try e.run(["report"]).status == 0)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(!names.contains(".report.txt.augur-tmp") && !names.contains("comparison-2.svg"), "\(names)")
        #expect(names.contains("notes.csv") && names.contains("report.txt") && names.contains("index.html"))
    }

    /// 13. Every documented exit status, from a real failure of its kind.
    @Test func exitStatusesAreTheDocumentedOnes() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", Fixtures.data("vix_daily.csv")])
        #expect(try e.run(["list"]).status == 0)
        #expect(try e.run(["show", "NOPE"]).status == 1)
        #expect(try e.run(["import", e.write("Date,Close\n2019-01-02,oops\n", "bad.csv")]).status == 1)
        for usage in [["forecast", "VIX_DAILY", "--horizon", "0"], ["list", "--no-such-flag"], ["backtest", "VIX_DAILY", "--models", "lstn"],
                      ["train"], ["frobnicate"], ["backtest", "VIX_DAILY", "--intervals", "wide"],
                      ["backtest", "VIX_DAILY", "--calibration-step", "0"], ["forecast", "VIX_DAILY", "--intervals", "narrow"]] {
            #expect(try e.run(usage).status == 64, "\(usage)")
        }
        // A damaged database: internal, 2, and said so.
        let big = e.dir.appendingPathComponent("damaged.sqlite").path
        #expect(try Fixtures.runAugur(["import", Fixtures.data("sp500_daily.csv"), "--db", big]).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: big))
        let from = bytes.count * 2 / 5, to = bytes.count * 3 / 5
        bytes.replaceSubrange(from..<to, with: Data(repeating: 0x5A, count: to - from))
        try bytes.write(to: URL(fileURLWithPath: big))
        let damaged = try Fixtures.runAugur(["show", "SP500_DAILY", "--last", "0", "--db", big])
        #expect(damaged.status == 2 && damaged.stderr.contains("is damaged"), "\(damaged.status) \(damaged.stderr)")
        let help = try e.run(["--help"])
        #expect(help.stdout.contains("64 usage"))
        // A coverage chart that cannot be written: the user's (1), saying where; one that can is an SVG.
        let unwritable = try e.run(["backtest", "VIX_DAILY", "--models", "naive", "--coverage-chart", "/nonexistent-dir/c.svg"])
        #expect(unwritable.status == 1 && unwritable.stderr.contains("/nonexistent-dir/c.svg"), "\(unwritable.stderr)")
        let chart = e.dir.appendingPathComponent("c.svg").path
        #expect(try e.run(["backtest", "VIX_DAILY", "--models", "naive", "--coverage-chart", chart]).status == 0)
        #expect(try String(contentsOfFile: chart, encoding: .utf8).contains("VIX_DAILY: naive intervals at h=1, rolling coverage"))
    }

    /// `forecast --method NAME`: a statistical model fitted on the spot, named with its fitted form, which
    /// is stored with the forecast and shown by the report.
    @Test func forecastWithAnyRegisteredMethod() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", Fixtures.data("airline_passengers_monthly.csv")])
        let ets = try e.run(["forecast", "AIRLINE_PASSENGERS_MONTHLY", "--method", "autoets", "--horizon", "3"])
        #expect(ets.status == 0 && ets.stdout.hasPrefix("AIRLINE_PASSENGERS_MONTHLY: autoets ETS(M,N,M) α=0.365"), "\(ets.stdout)")
        // AutoARIMA: R's auto.arima(AirPassengers) model and its January 1961 forecast, stored with the form.
        let arima = try e.run(["forecast", "AIRLINE_PASSENGERS_MONTHLY", "--method", "autoarima", "--horizon", "2"])
        #expect(arima.status == 0 && arima.stdout.hasPrefix(
            "AIRLINE_PASSENGERS_MONTHLY: autoarima ARIMA(2,1,1)(0,1,0)[12] ar=0.596,0.214 ma=-0.982, AICc 1018.2"), "\(arima.stdout)")
        // The point is R's; the intervals come from the calibration layer, and R's own with --intervals model.
        #expect(arima.stdout.contains("1961-01-01  1    445.63") && arima.stdout.contains("\nintervals: "), "\(arima.stdout)")
        let own = try e.run(["forecast", "AIRLINE_PASSENGERS_MONTHLY", "--method", "autoarima", "--horizon", "2",
                             "--intervals", "model"])
        #expect(own.stdout.contains("1961-01-01  1    445.63   430.89    460.38") && !own.stdout.contains("intervals:"), "\(own.stdout)")
        let db = try AugurDatabase(path: e.db)
        let stored = try #require(try db.latestForecast(symbol: "AIRLINE_PASSENGERS_MONTHLY", model: .autoarima))
        #expect(stored.fitted == "ARIMA(2,1,1)(0,1,0)[12] ar=0.596,0.214 ma=-0.982, AICc 1018.2" && stored.steps.count == 2)
        #expect(try db.latestForecast(symbol: "AIRLINE_PASSENGERS_MONTHLY", model: .autoets)?.fitted?.hasPrefix("ETS(M,N,M)") == true)
        // An exploratory backtest of the statistical models alone does not become the report's backtest:
        // the report's comes from a run that has the forecasting model (and the baselines).
        #expect(try e.run(["backtest", "AIRLINE_PASSENGERS_MONTHLY", "--models", "autoets,autoarima"]).status == 0)
        let report = try e.run(["report", "AIRLINE_PASSENGERS_MONTHLY", "--stdout"])
        #expect(report.stdout.contains("Statistical models fitted to the whole history")
                && report.stdout.contains("autoarima  ARIMA(2,1,1)(0,1,0)[12]"), "\(report.stdout)")
        let backtestPart = report.stdout.components(separatedBy: "Backtest: point errors").last ?? ""
        #expect(backtestPart.contains(" lstm ") && backtestPart.contains(" naive "), "\(report.stdout)")
        let theta = try json(try e.run(["forecast", "AIRLINE_PASSENGERS_MONTHLY", "--method", "theta", "--json"]).stdout)
        #expect((theta as? [String: Any])?["model"] as? String == "theta")
        #expect(try e.run(["forecast", "AIRLINE_PASSENGERS_MONTHLY", "--method", "nope"]).status == 64)
        #expect(try e.run(["forecast", "AIRLINE_PASSENGERS_MONTHLY", "--method", "theta", "--model", "1"]).status == 64)
    }

    /// Issue 13's robustness: constant, very short (< 2 seasons), trending-to-zero and huge-valued series
    /// fit with both automatic models without NaN or an internal error, and a simpler form says why.
    @Test func automaticModelsOnAwkwardSeries() throws {
        let e = Env(); defer { e.cleanUp() }
        var monthly = ["date,value"]
        for k in 0..<18 { monthly.append(String(format: "%04d-%02d-01,%.2f", 2020 + k / 12, k % 12 + 1, 100 + 10 * sin(Double(k) / 2))) }
        let files = [
            ("CONST", e.write(Self.csv([Double](repeating: 100, count: 60)), "CONST.csv")),
            ("SHORT", e.write(monthly.joined(separator: "\n") + "\n", "SHORT.csv")),
            ("TOZERO", e.write(Self.csv((0..<60).map { 1000 * pow(0.7, Double($0)) }), "TOZERO.csv")),
            ("HUGE", e.write(Self.csv((0..<80).map { 1e12 * (1 + 0.01 * Double($0)) + 1e9 * sin(Double($0)) }), "HUGE.csv")),
        ]
        for (_, path) in files { #expect(try e.run(["import", path]).status == 0) }
        for (symbol, _) in files {
            for method in ["autoets", "autoarima"] {
                let r = try e.run(["forecast", symbol, "--method", method, "--horizon", "3"])
                #expect(r.status == 0, "\(symbol) \(method): \(r.status) \(r.stderr)")
                #expect(!r.stdout.lowercased().contains("nan") && !r.stdout.contains("inf"), "\(symbol) \(method): \(r.stdout)")
                #expect(r.stdout.hasPrefix("\(symbol): \(method) "), "\(r.stdout)")
                if symbol == "CONST" { #expect(r.stdout.contains("note: the series is constant"), "\(r.stdout)") }
                if symbol == "SHORT", method == "autoarima" {
                    #expect(r.stdout.contains("note: 18 observations are not more than two seasons of 12"), "\(r.stdout)")
                }
            }
        }
    }

    /// 14. The smaller ones.
    @Test func smallerOnes() throws {
        let e = Env(); defer { e.cleanUp() }
        _ = try e.run(["import", Fixtures.data("vix_daily.csv")])
        #expect(try e.run(["report", "--out", ""]).status == 64)
        let file = e.write("x", "afile")
        let toFile = try e.run(["report", "--out", file])
        #expect(toFile.status == 1 && toFile.stderr.contains("is a file, not a folder"), "\(toFile.stderr)")
        let reportHelp = try e.run(["report", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(reportHelp.contains("(default: all)"), "\(reportHelp)")
        let exportHelp = try e.run(["export", "--help"]).stdout
        #expect(!exportHelp.contains("generic") && !exportHelp.contains("european"), "\(exportHelp)")
        // The rejects file is where README says: <name>.rejects.csv in the current folder.
        let bad = e.write("Date,Close\n2019-01-02,1\n2019-01-03,oops\n", "prices.csv")
        #expect(try e.run(["import", bad, "--skip-invalid"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: e.dir.appendingPathComponent("prices.rejects.csv").path))
        // Escape sequences in a symbol reach the terminal as visible text.
        _ = try e.run(["import", Fixtures.data("vix_daily.csv"), "--symbol", "EVIL\u{1B}]0;pwned\u{07}\u{1B}[31m"])
        let list = try e.run(["list"])
        #expect(!list.stdout.contains("\u{1B}") && list.stdout.contains("EVIL\\u{1B}"), "\(list.stdout)")
        let misspelt = try e.run(["show", "VIX_DALY"])
        #expect(misspelt.status == 1 && misspelt.stderr.contains("did you mean VIX_DAILY?"), "\(misspelt.stderr)")
        let negative = try e.run(["forecast", "VIX_DAILY", "--horizon", "-3"])
        #expect(negative.status == 64 && negative.stderr.contains("--horizon must be between 1 and 1000"), "\(negative.stderr)")
        let s2s = try e.run(["train", "VIX_DAILY", "--model", "seq2seq", "--epochs", "1", "--hidden", "4", "--quiet", "--json"])
        let id = try #require((try json(s2s.stdout) as? [String: Any])?["modelID"] as? Int)
        let beyond = try e.run(["forecast", "VIX_DAILY", "--model", "\(id)", "--horizon", "25"])
        #expect(beyond.status == 1 && beyond.stderr.contains("trained to forecast 20 steps, not 25"), "\(beyond.stderr)")
        // Ambiguous dates name --date-format.
        let amb = try e.run(["import", e.write("Date,Close\n01/02/2021,1\n03/04/2021,2\n", "amb.csv")])
        #expect(amb.status == 1 && amb.stderr.contains("--date-format"), "\(amb.stderr)")
    }
}
