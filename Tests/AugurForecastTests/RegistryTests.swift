import AugurCore
import AugurForecast
import AugurNN
import Foundation
import Testing

/// The model registry, the shared vocabulary (kinds, metrics, scores) and the one verdict.
@Suite struct RegistryTests {
    @Test func everyKindBuildsItsOwnForecaster() {
        for kind in ModelKind.allCases {
            let f = kind.makeForecaster(ModelSettings(season: 12, refitEvery: 3))
            #expect(f.kind == kind, "\(kind) built \(f.kind)")
            #expect(kind.isNeural == (kind.cell != nil || kind == .seq2seq))
            if kind.isNeural { #expect(f.refitPolicy == .everyNthOrigin(3)) }
            else if kind == .auto { #expect(f.refitPolicy == .once) }   // observe re-selects every 25 observations (daily)
            else { #expect(f.refitPolicy == .everyOrigin) }
        }
        for cell in CellKind.allCases { #expect(ModelKind(cell: cell).cell == cell) }
        // The backtest's default list: every model but the plain RNN and the two automatic statistical ones,
        // and auto, whose row says what a user of the default forecast would have got.
        #expect(ModelKind.backtestDefaults == [.lstm, .gru, .seq2seq, .naive, .drift, .snaive, .mean, .ses, .holt, .theta, .auto])
    }

    @Test func aRecurrentKindKeepsItsCellWhateverTheSavedConfigurationSays() throws {
        var saved = TrainingConfiguration()
        saved.cell = .lstm
        saved.hidden = 7
        saved.threads = 4
        let f = try #require(ModelKind.gru.makeForecaster(ModelSettings(recurrent: saved, threads: 1)) as? NeuralForecaster)
        #expect(f.configuration.cell == .gru && f.configuration.hidden == 7 && f.configuration.threads == 1)
        #expect(ModelKind.gru.defaultConfiguration?.cell == .gru && ModelKind.naive.defaultConfiguration == nil)
    }

    @Test func namesParseAtTheEdgeAndUnknownOnesListTheKnown() throws {
        #expect(try ModelKind(name: " LSTM ") == .lstm)
        #expect(try ModelKind(name: "snaive") == .snaive)
        #expect(throws: UnknownName.self) { try ModelKind(name: "lstn") }
        do { _ = try ModelKind(name: "lstn"); Issue.record("no error") } catch {
            #expect(error.description == "unknown model 'lstn'; known: lstm, gru, rnn, seq2seq, naive, drift, snaive, mean, ses, holt, theta, autoets, autoarima, auto")
            #expect(error.blame == .user)
        }
        #expect(try TrainingMode.parse(label: "encoder-decoder") == nil)
        #expect(try TrainingMode.parse(label: "stateless") == .stateless)
        #expect(throws: UnknownName.self) { try TrainingMode.parse(label: "sideways") }
    }

    /// One key per metric: the JSON of a score is flat, has every metric's key, and reads back.
    @Test func scoresEncodeFlatWithOneKeyPerMetric() throws {
        let score = BacktestScore(model: .theta, horizon: 5, count: 40,
                                  values: [.mase: 0.5, .relativeMAE: 0.9, .directionalAccuracy: 55, .coverage80: 80])
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let json = String(decoding: try e.encode(score), as: UTF8.self)
        // Every metric has its key; an undefined one is null (never left out, never NaN).
        #expect(json == #"{"count":40,"coverage80":80,"coverage95":null,"direction":55,"horizon":5,"mae":null,"mape":null,"mase":0.5,"model":"theta","msis":null,"pinball":null,"rel_mae":0.9,"rmse":null,"smape":null,"width80":null,"width95":null}"#)
        #expect(try JSONDecoder().decode(BacktestScore.self, from: Data(json.utf8)) == score)
        #expect(Metric.allCases.map(\.key) == ["mae", "rmse", "mape", "smape", "mase", "rel_mae", "direction",
                                                "coverage80", "coverage95", "pinball", "width80", "width95", "msis"])
        // A dictionary keyed by kind encodes as an object, not as an array of pairs.
        let seconds = String(decoding: try e.encode([ModelKind.lstm: 1.5]), as: UTF8.self)
        #expect(seconds == #"{"lstm":1.5}"#)
    }

    /// The one verdict: MASE when both models have it, a ±0.05% band is level, relative MAE otherwise.
    @Test func verdictJudgesEachHorizonOnce() {
        let scores = [
            BacktestScore(model: .lstm, horizon: 1, count: 9, values: [.mase: 1.745]),
            BacktestScore(model: .naive, horizon: 1, count: 9, values: [.mase: 1.729]),
            BacktestScore(model: .lstm, horizon: 5, count: 9, values: [.mase: 3.640]),
            BacktestScore(model: .naive, horizon: 5, count: 9, values: [.mase: 3.697]),
            BacktestScore(model: .lstm, horizon: 20, count: 9, values: [.mase: 6.3728]),
            BacktestScore(model: .naive, horizon: 20, count: 9, values: [.mase: 6.372]),
            BacktestScore(model: .lstm, horizon: 40, count: 9, values: [.relativeMAE: 0.97]),
            BacktestScore(model: .lstm, horizon: 60, count: 9, values: [:]),
        ]
        let v = Verdict.judge(.lstm, against: .naive, in: scores)
        #expect(v.judgements.map(\.horizon) == [1, 5, 20, 40])
        #expect(v.judgements.map(\.outcome) == [.worse, .better, .level, .better])
        #expect(v.betterCount == 2)
        #expect(v.judgements[0].evidence == .mase(model: 1.745, baseline: 1.729))
        #expect(abs(v.judgements[3].change + 0.03) < 1e-12)
    }

    @Test func calibrationPolicyOriginsAndResidualsByHand() {
        let p = CalibrationPolicy.standard
        #expect(p.origins == 250 && p.horizon == 20)
        #expect(p.originCount(available: 40) == 10 && p.originCount(available: 4000) == 250 && p.originCount(available: 2) == 1)
        // Origins 0 and 1 of a 4-point series, horizon 3: only targets inside the series count.
        let r = CalibrationPolicy.logResiduals(origins: [0, 1], forecastReturns: [[0.1, 0.1, 0.1], [0.2, 0.2, 0.2]],
                                               horizon: 3, count: 4) { o, h in Double(10 * o + h) }
        let expected: [[Double]] = [[1 - 0.1, 11 - 0.2], [2 - (0.1 + 0.1), 12 - (0.2 + 0.2)], [3 - (0.1 + 0.1 + 0.1)]]
        #expect(r == expected)
    }

    @Test func errorsSayWhoseFaultTheyAre() {
        #expect(TrainingError.seriesTooShort(symbol: "X", needed: 60, got: 10).blame == .user)
        #expect(TrainingError.nonFiniteLoss(epoch: 3, which: "training").blame == .user)
        #expect(TrainingError.network(.badMagic).blame == .internal)
        #expect(ForecastError.training(model: .lstm, .seriesTooShort(symbol: "X", needed: 60, got: 10)).blame == .user)
        #expect(ForecastError.training(model: .lstm, .network(.badMagic)).blame == .internal)
        #expect(Blame.of(CocoaError(.fileNoSuchFile)) == .internal)
        // Library messages name settings, not flags.
        var c = TrainingConfiguration()
        c.hidden = 0
        #expect(throws: TrainingError.invalidSetting(.hidden, rule: "must be between 1 and 4096", value: "0")) { try c.validate() }
    }
}

/// Memory is bounded by chunks, numbers are not changed by them.
@Suite struct ChunkingTests {
    /// Advancing over 10,000 rows in chunks of 4,096 gives the state that one step at a time gives.
    @Test func chunkedAdvanceEqualsStepByStep() throws {
        var c = TrainingConfiguration()
        c.hidden = 6
        let model = try NeuralModel(configuration: c, features: .returns, scalers: ["S": Scaler(means: [0], deviations: [0.01])])
        let n = 2 * NeuralModel.advanceChunk + 1_808
        let rows = FeatureRows((0..<n).map { [sin(Double($0) * 0.37) * 0.02] }, width: 1)
        var chunked = model.zeroState()
        try model.advance(&chunked, over: rows, scaler: model.scalers["S"]!)
        var stepped = model.zeroState()
        var out = [Float](repeating: 0, count: 1)
        for t in 0..<n { try model.network.step([Float(rows[t][0] / 0.01)], state: &stepped, output: &out) }
        for (a, b) in zip(chunked.layers, stepped.layers) {
            for (x, y) in zip(a.h + a.c, b.h + b.c) { #expect(abs(x - y) <= 1e-5, "\(x) vs \(y)") }
        }
    }

    /// Bands contain the point and never narrow, whatever the residuals (all of one sign; jittery).
    @Test func calibratedBandsContainThePointAndDoNotNarrow() throws {
        let oneSided = (0..<40).map { 0.01 + Double($0) * 0.001 }
        var jitter: [[Double]] = []
        for h in 1...6 {
            let scale = h == 4 ? 0.001 : 0.004
            var row: [Double] = []
            for j in 0..<60 { row.append(Double((j * 37 + h * 11) % 23 - 11) * scale) }
            jitter.append(row)
        }
        for residuals in [[oneSided, oneSided, oneSided], jitter] {
            let c = NeuralCalibration(logResiduals: residuals)
            let prices = (0..<residuals.count + 2).map { 100 + Double($0) }
            for i in try c.intervals(prices: prices, levels: [80, 95]) {
                var below = 0.0, above = 0.0
                for k in prices.indices {
                    #expect(i.lower[k] <= prices[k] && prices[k] <= i.upper[k], "level \(i.level) h=\(k + 1)")
                    let (b, a) = (log(prices[k] / i.lower[k]), log(i.upper[k] / prices[k]))
                    #expect(b >= below - 1e-12 && a >= above - 1e-12, "level \(i.level) h=\(k + 1) narrowed")
                    (below, above) = (b, a)
                }
            }
        }
    }
}
