import AugurTestSupport
import Foundation
import Testing

/// The `augur` executable end to end: exit statuses, output, and two processes at once.
@Suite(.serialized) struct CommandLineTests {
    @Test func importListShowExport() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let imp = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), Fixtures.data("airline_passengers_monthly.csv")],
                                        environment: env)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("VIX_DAILY") && imp.stdout.contains("1259 inserted"))
        let again = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv")], environment: env)
        #expect(again.status == 0 && again.stdout.contains("unchanged"))
        let list = try Fixtures.runAugur(["list", "--json"], environment: env)
        let decoded = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.count == 2)
        #expect(decoded?.first?["symbol"] as? String == "AIRLINE_PASSENGERS_MONTHLY")
        #expect(decoded?.first?["rows"] as? Int == 144)
        let show = try Fixtures.runAugur(["show", "vix_daily", "--last", "2"], environment: env)
        #expect(show.status == 0)
        #expect(show.stdout.split(separator: "\n").count == 3)
        #expect(show.stdout.contains("2019-01-03"))
        let export = try Fixtures.runAugur(["export", "AIRLINE_PASSENGERS_MONTHLY", "--format", "stooq"], environment: env)
        #expect(export.stdout.hasPrefix("Date,Open,High,Low,Close,Volume\n1949-01-01,,,,112,\n"))
    }

    /// An exchange calendar from import to forecast: stored with the symbol, listed, skipped by the
    /// forecast dates (2019-01-01 is a NYSE holiday), changed and removed with `augur symbol`, and
    /// bad names refused with the usage status.
    @Test func exchangeCalendarFromImportToForecast() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let imp = try Fixtures.runAugur(["import", Fixtures.data("sp500_daily.csv"), "--calendar", "NYSE"], environment: env)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("NYSE calendar"))
        let list = try Fixtures.runAugur(["list", "--json"], environment: env)
        let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(listed?.first?["calendar"] as? String == "nyse")
        func firstDates() throws -> (dates: [String], skips: String?) {
            let f = try Fixtures.runAugur(["forecast", "SP500_DAILY", "--method", "naive", "--horizon", "2", "--json"],
                                          environment: env)
            #expect(f.status == 0, "\(f.stderr)")
            let t = try JSONSerialization.jsonObject(with: Data(f.stdout.utf8)) as? [String: Any]
            let rows = t?["rows"] as? [[String: Any]] ?? []
            return (rows.compactMap { $0["date"] as? String }, t?["calendar"] as? String)
        }
        let nyse = try firstDates()
        #expect(nyse.dates == ["2019-01-02", "2019-01-03"])
        #expect(nyse.skips == "NYSE holidays and weekends")
        let text = try Fixtures.runAugur(["forecast", "SP500_DAILY", "--method", "naive", "--horizon", "2"], environment: env)
        #expect(text.stdout.contains("dates skip NYSE holidays and weekends"))
        let removed = try Fixtures.runAugur(["symbol", "sp500_daily", "--calendar", "none"], environment: env)
        #expect(removed.status == 0 && removed.stdout.contains("weekends only"), "\(removed.stdout)\(removed.stderr)")
        let weekends = try firstDates()
        #expect(weekends.dates == ["2019-01-01", "2019-01-02"])
        #expect(weekends.skips == "weekends only")
        let lse = try Fixtures.runAugur(["symbol", "SP500_DAILY", "--calendar", "lse"], environment: env)
        #expect(lse.stdout.contains("calendar LSE"))
        #expect(try firstDates().dates == ["2019-01-02", "2019-01-03"])  // New Year's Day is a UK bank holiday too
        let unknownExchange = try Fixtures.runAugur(["symbol", "SP500_DAILY", "--calendar", "NYMEX"], environment: env)
        #expect(unknownExchange.status == 64 && unknownExchange.stderr.contains("NYSE, NASDAQ, LSE"))
        let unknownSymbol = try Fixtures.runAugur(["symbol", "SP500_DAILI", "--calendar", "NYSE"], environment: env)
        #expect(unknownSymbol.status == 1 && unknownSymbol.stderr.contains("did you mean SP500_DAILY?"))
        let badImport = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), "--calendar", "nymex"], environment: env)
        #expect(badImport.status == 64)
        #expect(try Fixtures.runAugur(["list", "--names"], environment: env).stdout == "SP500_DAILY\n")
    }

    /// Stooq's bulk format: several tickers interleaved in one file become one symbol each (with
    /// the file's line numbers in errors); a ticker with a bad row fails alone; --symbol cannot name
    /// several tickers.
    @Test func stooqBulkFileSplitsIntoSymbols() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let text = """
            <TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>
            AAPL.US,D,20190102,000000,154.89,158.85,154.23,157.92,37039737,0
            AAPL.US,D,20190103,000000,143.98,145.72,142,142.19,91312195,0
            MSFT.US,D,20190102,000000,99.55,101.75,98.94,101.12,35329345,0
            AAPL.US,D,20190104,000000,144.53,148.55,143.8,148.26,58607070,0
            MSFT.US,D,20190103,000000,100.1,100.19,97.2,97.4,42579100,0
            MSFT.US,D,20190104,000000,99.72,102.51,98.93,101.93,44060620,0

            """
        let bulk = Fixtures.write(text, named: "stooq_bulk.txt", in: dir)
        let imp = try Fixtures.runAugur(["import", bulk], environment: env)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("AAPL.US: ") && imp.stdout.contains("MSFT.US: ") && imp.stdout.contains("(stooq-bulk, prices)"))
        let list = try Fixtures.runAugur(["list", "--json"], environment: env)
        let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(listed?.map { $0["symbol"] as? String } == ["AAPL.US", "MSFT.US"])
        #expect(listed?.map { $0["rows"] as? Int } == [3, 3])
        let show = try Fixtures.runAugur(["show", "MSFT.US", "--last", "1"], environment: env)
        #expect(show.stdout.contains("2019-01-04") && show.stdout.contains("101.93") && show.stdout.contains("44060620"))
        let named = try Fixtures.runAugur(["import", bulk, "--symbol", "X"], environment: env)
        #expect(named.status == 1 && named.stderr.contains("holds 2 tickers"))

        let env2 = ["AUGUR_DB": dir.appendingPathComponent("db2.sqlite").path]
        let bad = Fixtures.write(text.replacingOccurrences(of: "101.93", with: "abc"), named: "bad.txt", in: dir)
        let partly = try Fixtures.runAugur(["import", bad], environment: env2)
        #expect(partly.status == 1)
        #expect(partly.stdout.contains("AAPL.US: ") && partly.stderr.contains("MSFT.US: ") && partly.stderr.contains("bad.txt:7"))
        #expect(try Fixtures.runAugur(["list", "--names"], environment: env2).stdout == "AAPL.US\n")
    }

    /// Several symbols or --all on forecast and backtest, in table, CSV and JSON; a missing symbol
    /// is reported and the others still run, with exit status 1 at the end.
    @Test func manySymbolsAndOutputFormats() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        #expect(try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), Fixtures.data("airline_passengers_monthly.csv")],
                                      environment: env).status == 0)
        let csv = try Fixtures.runAugur(["forecast", "--all", "--method", "naive", "--horizon", "2", "--format", "csv"],
                                        environment: env)
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "symbol,model,as_of,date,h,forecast,lower80,upper80,lower95,upper95")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("AIRLINE_PASSENGERS_MONTHLY,naive,1960-12-01,1961-01-01,1,432,"))
        #expect(lines[3].hasPrefix("VIX_DAILY,naive,2019-01-03,2019-01-04,1,25.45,"))
        // Full precision: the CSV's bounds read back to the JSON's.
        let json = try Fixtures.runAugur(["forecast", "VIX_DAILY", "AIRLINE_PASSENGERS_MONTHLY", "--method", "naive",
                                          "--horizon", "2", "--json"], environment: env)
        let tables = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(tables?.map { $0["symbol"] as? String } == ["VIX_DAILY", "AIRLINE_PASSENGERS_MONTHLY"])
        let vixRows = tables?.first?["rows"] as? [[String: Any]]
        #expect(Double(lines[3].split(separator: ",")[6]) == vixRows?.first?["lower80"] as? Double)
        let partly = try Fixtures.runAugur(["forecast", "VIX_DAILY", "NOPE", "AIRLINE_PASSENGERS_MONTHLY", "--method", "naive",
                                            "--horizon", "1"], environment: env)
        #expect(partly.status == 1)
        #expect(partly.stderr.contains("augur: NOPE: no symbol"))
        #expect(partly.stdout.contains("VIX_DAILY: naive") && partly.stdout.contains("AIRLINE_PASSENGERS_MONTHLY: naive"))
        let scores = try Fixtures.runAugur(["backtest", "--all", "--models", "naive,theta", "--format", "csv"], environment: env)
        #expect(scores.status == 0, "\(scores.stderr)")
        let scoreLines = scores.stdout.split(separator: "\n")
        #expect(scoreLines.first?.hasPrefix("symbol,model,h,n,mae,rmse,") == true)
        #expect(scoreLines.contains { $0.hasPrefix("AIRLINE_PASSENGERS_MONTHLY,theta,12,") })
        #expect(scoreLines.contains { $0.hasPrefix("VIX_DAILY,naive,20,") })
        let list = try Fixtures.runAugur(["list", "--format", "csv"], environment: env)
        #expect(list.stdout == """
            symbol,kind,calendar,first,last,rows
            AIRLINE_PASSENGERS_MONTHLY,value,,1949-01-01,1960-12-01,144
            VIX_DAILY,price,,2014-01-03,2019-01-03,1259

            """)
        let both = try Fixtures.runAugur(["forecast", "VIX_DAILY", "--all"], environment: env)
        #expect(both.status == 64)
        let clash = try Fixtures.runAugur(["list", "--json", "--format", "csv"], environment: env)
        #expect(clash.status == 64)
    }

    /// Pinning a symbol to a model name or a stored model: forecast, daily and report use the pin
    /// (and say so) unless told --method; deleting the pinned model unpins it; bad pins are refused.
    @Test func pinAndDeleteModels() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        #expect(try Fixtures.runAugur(["import", Fixtures.data("airline_passengers_monthly.csv")], environment: env).status == 0)
        let symbol = "AIRLINE_PASSENGERS_MONTHLY"
        let trained = try Fixtures.runAugur(["train", symbol, "--epochs", "2", "--ensemble", "1"], environment: env)
        #expect(trained.status == 0 && trained.stdout.contains("model 1:"), "\(trained.stderr)")
        func forecastModel(_ extra: [String] = []) throws -> (model: String?, id: Int?, notes: [String]) {
            let f = try Fixtures.runAugur(["forecast", symbol, "--horizon", "1", "--json"] + extra, environment: env)
            #expect(f.status == 0, "\(f.stderr)")
            let t = try JSONSerialization.jsonObject(with: Data(f.stdout.utf8)) as? [String: Any]
            return (t?["model"] as? String, t?["modelID"] as? Int, t?["notes"] as? [String] ?? [])
        }
        #expect(try Fixtures.runAugur(["models", "pin", symbol, "theta"], environment: env).stdout.contains("theta (pinned)"))
        let theta = try forecastModel()
        #expect(theta.model == "theta" && theta.notes.first == "pinned to theta (augur models pin)")
        #expect(try forecastModel(["--method", "naive"]).model == "naive")
        #expect(try Fixtures.runAugur(["models", "pin", symbol, "1"], environment: env).status == 0)
        let pinnedModel = try forecastModel()
        #expect(pinnedModel.model == "lstm" && pinnedModel.id == 1)
        let daily = try Fixtures.runAugur(["daily", "--json"], environment: env)
        let lines = try JSONSerialization.jsonObject(with: Data(daily.stdout.utf8)) as? [[String: Any]]
        #expect(lines?.first?["modelID"] as? Int == 1, "\(daily.stdout)")
        let report = try Fixtures.runAugur(["report", symbol, "--stdout"], environment: env)
        #expect(report.status == 0 && report.stdout.contains("model 1 (augur models pin)"), "\(report.stderr)")
        #expect(try Fixtures.runAugur(["symbol", symbol], environment: env).stdout.contains("forecasts use model 1 (pinned)"))
        let missing = try Fixtures.runAugur(["models", "pin", symbol, "9"], environment: env)
        #expect(missing.status == 1 && missing.stderr.contains("there is no model 9"))
        #expect(try Fixtures.runAugur(["models", "pin", symbol, "nonsense"], environment: env).status == 64)
        let deleted = try Fixtures.runAugur(["models", "delete", "1"], environment: env)
        #expect(deleted.status == 0 && deleted.stdout.contains("deleted model 1 (lstm on \(symbol))"))
        #expect(try Fixtures.runAugur(["models", "--json"], environment: env).stdout == "[]\n")
        #expect(try Fixtures.runAugur(["symbol", symbol], environment: env).stdout.contains("forecasts use auto"))
        #expect(try Fixtures.runAugur(["models", "delete", "1"], environment: env).status == 1)
        #expect(try Fixtures.runAugur(["models", "pin", symbol, "auto"], environment: env).stdout.contains("auto (no pin)"))
        // Not a terminal: no progress line, no escape codes.
        let quiet = try Fixtures.runAugur(["daily", "--method", "naive"], environment: env)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty && !quiet.stdout.contains("\u{1B}"), "\(quiet.stderr)")
    }

    /// `--shard K/N` on daily, forecast and report: the shards of a run cover every symbol exactly once,
    /// `auto` reads a scheduler's environment, a shard writes its symbols' report folders but no index.
    @Test func shardsSplitTheSymbols() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        #expect(try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), Fixtures.data("airline_passengers_monthly.csv"),
                                       Fixtures.data("spread_daily.csv"), Fixtures.data("temperature_daily.csv")],
                                      environment: env).status == 0)
        var seen: [String] = []
        for k in 0..<3 {
            let run = try Fixtures.runAugur(["daily", "--method", "naive", "--shard", "\(k)/3", "--json"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
            seen += lines.compactMap { $0["symbol"] as? String }
        }
        #expect(seen.sorted() == ["AIRLINE_PASSENGERS_MONTHLY", "SPREAD_DAILY", "TEMPERATURE_DAILY", "VIX_DAILY"])
        let slurm = env.merging(["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3"]) { $1 }
        let viaAuto = try Fixtures.runAugur(["forecast", "--all", "--shard", "auto", "--method", "naive", "--horizon", "1",
                                             "--format", "csv"], environment: slurm)
        let direct = try Fixtures.runAugur(["forecast", "--all", "--shard", "1/3", "--method", "naive", "--horizon", "1",
                                            "--format", "csv"], environment: env)
        #expect(viaAuto.status == 0 && viaAuto.stdout == direct.stdout)
        #expect(try Fixtures.runAugur(["daily", "--shard", "3/3"], environment: env).status == 64)
        #expect(try Fixtures.runAugur(["daily", "--shard", "auto"], environment: env).status == 64)
        let out = dir.appendingPathComponent("reports").path
        // Shard 0 of 3 owns the airline series alone (hash mod 3), quick to report on.
        let report = try Fixtures.runAugur(["report", "--shard", "0/3", "--out", out, "--format", "txt"], environment: env)
        #expect(report.status == 0 && report.stdout.contains("not the index"), "\(report.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/index.html"))
        #expect(FileManager.default.fileExists(atPath: out + "/AIRLINE_PASSENGERS_MONTHLY/report.txt"))
        #expect(!FileManager.default.fileExists(atPath: out + "/VIX_DAILY"))
    }

    /// Series that are not prices (zero and negative values) from import to report, through every
    /// command a user would run on them; a price symbol refuses such a file and says how to import it.
    @Test func valueSeriesEndToEnd() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let imp = try Fixtures.runAugur(["import", Fixtures.data("spread_daily.csv"), Fixtures.data("temperature_daily.csv")],
                                        environment: env)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("SPREAD_DAILY: ") && imp.stdout.contains("(generic, values)"))
        let list = try Fixtures.runAugur(["list", "--json"], environment: env)
        let decoded = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.map { $0["kind"] as? String } == ["value", "value"])
        let lstm = try Fixtures.runAugur(["forecast", "SPREAD_DAILY", "--method", "lstm", "--horizon", "3"], environment: env)
        #expect(lstm.status == 0, "\(lstm.stderr)")
        #expect(lstm.stdout.contains("last value") && !lstm.stdout.lowercased().contains("nan"))
        // A daily series kept at weekends forecasts every calendar day.
        let temperature = try Fixtures.runAugur(["forecast", "TEMPERATURE_DAILY", "--method", "theta", "--horizon", "3"],
                                                environment: env)
        #expect(temperature.status == 0 && temperature.stdout.contains("2021-01-01")
                && temperature.stdout.contains("2021-01-02") && temperature.stdout.contains("2021-01-03"), "\(temperature.stdout)")
        let backtest = try Fixtures.runAugur(["backtest", "SPREAD_DAILY", "--models", "naive,theta,autoets,lstm", "--json"],
                                             environment: env)
        #expect(backtest.status == 0, "\(backtest.stderr)")
        #expect(!backtest.stdout.lowercased().contains("nan") && backtest.stdout.contains("\"lstm\""))
        let daily = try Fixtures.runAugur(["daily", "--method", "lstm"], environment: env)
        #expect(daily.status == 0 && daily.stdout.contains("TEMPERATURE_DAILY: as of 2020-12-31 value"), "\(daily.stdout) \(daily.stderr)")
        let report = try Fixtures.runAugur(["report", "SPREAD_DAILY", "--out", dir.appendingPathComponent("r").path], environment: env)
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOf: dir.appendingPathComponent("r/SPREAD_DAILY/report.md"), encoding: .utf8)
        #expect(page.contains("Last value") && !page.lowercased().contains("nan"))
        // The same numbers under a price header are refused, with the way to import them.
        let negative = Fixtures.write("Date,Close\n2020-04-17,18.27\n2020-04-20,-37.63\n", named: "wti.csv", in: dir)
        let refused = try Fixtures.runAugur(["import", negative], environment: env)
        #expect(refused.status == 1 && refused.stderr.contains("non-positive price") && refused.stderr.contains("--kind value"))
        let told = try Fixtures.runAugur(["import", negative, "--kind", "value"], environment: env)
        #expect(told.status == 0, "\(told.stderr)")
        // A stored value symbol reads a new file as values, and refuses one it is told to read as prices.
        let positive = Fixtures.write("Date,Close\n2020-01-02,1.5\n", named: "more.csv", in: dir)
        let mismatch = try Fixtures.runAugur(["import", positive, "--kind", "price", "--symbol", "SPREAD_DAILY"], environment: env)
        #expect(mismatch.status == 1 && mismatch.stderr.contains("SPREAD_DAILY is stored as a value series"), "\(mismatch.stderr)")
        let asStored = try Fixtures.runAugur(["import", positive, "--symbol", "SPREAD_DAILY"], environment: env)
        #expect(asStored.status == 0 && asStored.stdout.contains("(generic, values)"), "\(asStored.stdout)")
    }

    @Test func badInputExitsOneAndSaysWhere() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let bad = Fixtures.write("Date,Close\n2019-01-02,1\n2019-01-03,oops\n", named: "bad.csv", in: dir)
        let r = try Fixtures.runAugur(["import", bad], environment: env)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.csv:3, column Close: not a number (got \"oops\")"))
        let list = try Fixtures.runAugur(["list", "--json"], environment: env)
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let unknown = try Fixtures.runAugur(["show", "NOPE"], environment: env)
        #expect(unknown.status == 1 && unknown.stderr.contains("no symbol \"NOPE\""))
        let usage = try Fixtures.runAugur(["show", "X", "--last", "-1"], environment: env)
        #expect(usage.status != 0 && usage.status != 2)
        let missing = try Fixtures.runAugur(["import", dir.appendingPathComponent("nope.csv").path], environment: env)
        #expect(missing.status == 1 && missing.stderr.contains("nope.csv: cannot open"))
    }

    /// A series too short to train on, an unknown model name, a bad setting: the user's errors, exit 1,
    /// with the flag that fixes it named by the command line.
    @Test func userErrorsFromTheLibrariesExitOne() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let rows = (0..<10).map { "2019-01-\(String(format: "%02d", $0 + 1)),\(100 + $0)" }.joined(separator: "\n")
        let short = Fixtures.write("Date,Close\n" + rows + "\n", named: "short.csv", in: dir)
        #expect(try Fixtures.runAugur(["import", short], environment: env).status == 0)
        let train = try Fixtures.runAugur(["train", "SHORT", "--quiet"], environment: env)
        #expect(train.status == 1 && train.stderr.contains("too short to train on"), "\(train.status) \(train.stderr)")
        let models = try Fixtures.runAugur(["backtest", "SHORT", "--models", "naive,lstn"], environment: env)
        #expect(models.status != 0 && models.status != 2 && models.stderr.contains("known: lstm, gru"), "\(models.stderr)")
        let setting = try Fixtures.runAugur(["train", "SHORT", "--hidden", "0"], environment: env)
        #expect(setting.status != 0 && setting.status != 2 && setting.stderr.contains("--hidden must be between 1 and 4096"),
                "\(setting.stderr)")
    }

    /// compare-modes hands each child the whole configuration: both stored models carry every setting
    /// the parent was given, differing only in mode.
    @Test func compareModesPassesTheWholeConfiguration() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        #expect(try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv")], environment: env).status == 0)
        let r = try Fixtures.runAugur(["compare-modes", "VIX_DAILY", "--hidden", "6", "--epochs", "2", "--dropout", "0.1",
                                       "--layers", "2", "--val-fraction", "0.2", "--clip", "0.5", "--seed", "9", "--json"],
                                      environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        for id in ["1", "2"] {
            let show = try Fixtures.runAugur(["model", "show", id, "--json"], environment: env)
            let m = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
            let c = try #require(m["configuration"] as? [String: Any])
            #expect(c["hidden"] as? Int == 6 && c["epochs"] as? Int == 2 && c["layers"] as? Int == 2 && c["seed"] as? Int == 9)
            #expect(c["dropout"] as? Double == 0.1 && c["validationFraction"] as? Double == 0.2 && c["clipNorm"] as? Double == 0.5)
            #expect(m["mode"] as? String == (id == "1" ? "stateful" : "stateless"))
        }
    }

    @Test func jsonImportReportsResultsAndFailures() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let env = ["AUGUR_DB": dir.appendingPathComponent("db.sqlite").path]
        let bad = Fixtures.write("Date,Close\n2019-01-02,0\n", named: "zero.csv", in: dir)
        let r = try Fixtures.runAugur(["import", Fixtures.data("vix_daily.csv"), bad, "--json"], environment: env)
        #expect(r.status == 1)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let results = obj?["results"] as? [[String: Any]]
        let failures = obj?["failures"] as? [[String: Any]]
        #expect(results?.first?["inserted"] as? Int == 1259)
        #expect((failures?.first?["error"] as? String)?.contains("non-positive price") == true)
    }

    /// Two processes import different files into one database at the same time: the busy timeout
    /// makes the second wait for the first's transaction, and both land.
    @Test func twoProcessesImportingAtOnceBothSucceed() throws {
        let dir = Fixtures.temporaryDirectory("augur-cli"); defer { Fixtures.cleanUp(dir) }
        let db = dir.appendingPathComponent("db.sqlite").path
        _ = try Fixtures.runAugur(["list"], environment: ["AUGUR_DB": db])   // create and migrate once
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let file = i == 0 ? "sp500_daily.csv" : "sp500_daily_stooq.csv"
            let r = try? Fixtures.runAugur(["import", Fixtures.data(file), "--db", db])
            results.set(i, r)
        }
        for i in 0..<2 { #expect(results.get(i)?.status == 0, "\(results.get(i)?.stderr ?? "no result")") }
        let list = try Fixtures.runAugur(["list"], environment: ["AUGUR_DB": db])
        #expect(list.stdout.contains("SP500_DAILY ") && list.stdout.contains("SP500_DAILY_STOOQ"))
    }

    /// A generated 1,000,000-row file imports with peak memory under 64 MB (the process's VmHWM).
    @Test func aMillionRowsImportInBoundedMemory() throws {
        let r = try Fixtures.runAugur(["bench", "import", "--rows", "1000000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(obj?["rows"] as? Int == 1_000_000)
        let peak = try #require(obj?["peak_rss_mb"] as? Double)
        #expect(peak > 0 && peak < 64, "peak \(peak) MB")
    }
}

final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Fixtures.RunResult] = [:]
    func set(_ i: Int, _ r: Fixtures.RunResult?) { lock.lock(); values[i] = r; lock.unlock() }
    func get(_ i: Int) -> Fixtures.RunResult? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
