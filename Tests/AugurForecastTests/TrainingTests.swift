import AugurCore
@testable import AugurForecast
import AugurNN
import Foundation
import Testing

/// A synthetic price path: a noisy sine in the log returns, so there is something to learn.
func syntheticBars(_ n: Int, seed: UInt64 = 7, volume: Bool = true) -> [Bar] {
    var g = SeededGenerator(seed: seed)
    var p = 100.0
    let start = CivilDate(iso: "2000-01-03")!
    return (0..<n).map { t in
        p *= exp(0.01 * sin(Double(t) * 0.3) + 0.002 * g.nextNormal())
        return Bar(date: start.adding(days: t), close: p, volume: volume ? 1000 + Double(t % 17) * 10 : nil)
    }
}

@Suite struct ContiguousBatcherTests {
    /// For every k and i, row i of batch k+1 starts one past the end of row i of batch k.
    @Test func rowsContinueAcrossBatchesForOneSeries() throws {
        let b = try ContiguousBatcher(pairs: 1000, streams: 7, window: 10)
        #expect(b.windowsPerStream == 14)             // 1000 / 7 = 142 → 14 windows of 10
        #expect(b.droppedPerSeries == [1000 - 7 * 140])   // 20 pairs dropped from the oldest end
        for k in 0..<(b.batchCount - 1) {
            for i in 0..<7 { #expect(b.layout[k + 1][i].start == b.layout[k][i].start + 10) }
        }
        // Exact indices: stream i starts at 20 + 140 i; the last window of the last stream ends at pair 999.
        #expect(b.layout[0].map(\.start) == (0..<7).map { 20 + 140 * $0 })
        #expect(b.layout[13][6].start + 10 == 1000)
        #expect(b.stepsPerEpoch == 7 * 14 * 10)
    }

    @Test func oneStreamPerSeriesKeepsTheNewestPairs() throws {
        let b = try ContiguousBatcher(pairsPerSeries: [105, 87, 120], window: 8)
        #expect(b.windowsPerStream == 10)   // 87 / 8
        #expect(b.droppedPerSeries == [25, 7, 40])
        for k in 0..<b.batchCount {
            for s in 0..<3 {
                #expect(b.layout[k][s] == .init(series: s, start: b.droppedPerSeries[s] + 8 * k))
            }
        }
    }

    @Test func tooShortIsATypedError() {
        #expect(throws: TrainingError.self) { try ContiguousBatcher(pairs: 50, streams: 8, window: 10) }
    }
}

@Suite struct TrainerTests {
    func config(_ mode: TrainingMode = .stateful, epochs: Int = 3) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.mode = mode; c.hidden = 8; c.window = 10; c.streams = 4; c.epochs = epochs; c.patience = 50; c.seed = 3
        return c
    }

    /// The initial state of batch k+1 is the final state of batch k, bit for bit; every epoch starts at zero.
    @Test func statefulCarriesStateAndResetsEachEpoch() throws {
        var trainer = NeuralTrainer(configuration: config())
        var events: [BatchEvent] = []
        trainer.onBatch = { events.append($0) }
        _ = try trainer.train([("X", syntheticBars(400))])
        let zero = RecurrentState<Float>(layers: [LayerState(batch: 4, hiddenSize: 8, hasCellState: true)])
        #expect(!events.isEmpty)
        for (a, b) in zip(events, events.dropFirst()) {
            if b.epoch == a.epoch {
                #expect(b.initialState == a.finalState)
                #expect(zip(a.windows, b.windows).allSatisfy { $1.start == $0.start + 10 })
            } else {
                #expect(b.initialState == zero)
            }
        }
        #expect(events[0].initialState == zero)
        #expect(events.last!.finalState != zero)
    }

    @Test func statelessUsesZeroStateAndANewOrderEachEpoch() throws {
        var trainer = NeuralTrainer(configuration: config(.stateless))
        var events: [BatchEvent] = []
        trainer.onBatch = { events.append($0) }
        _ = try trainer.train([("X", syntheticBars(400))])
        let zero = RecurrentState<Float>(layers: [LayerState(batch: 4, hiddenSize: 8, hasCellState: true)])
        #expect(events.allSatisfy { $0.initialState == zero })
        let orders = (1...3).map { e in events.filter { $0.epoch == e }.flatMap { $0.windows.map(\.start) } }
        #expect(orders[0] != orders[1] && orders[1] != orders[2])
        #expect(Set(orders[0]) == Set(orders[1]))   // the same windows, permuted
    }

    /// Changing values in the validation part changes neither the scaler nor any training batch.
    @Test func noLeakageFromTheValidationPart() throws {
        let bars = syntheticBars(400)
        var changed = bars
        for i in 360..<400 { changed[i].close *= 1.5 }   // within the last 15% only
        func run(_ b: [Bar]) throws -> ([BatchEvent], TrainingResult) {
            var trainer = NeuralTrainer(configuration: config(epochs: 1))
            var events: [BatchEvent] = []
            trainer.onBatch = { events.append($0) }
            return (events, try trainer.train([("X", b)]))
        }
        let (e1, r1) = try run(bars), (e2, r2) = try run(changed)
        #expect(r1.model.scalers == r2.model.scalers)
        #expect(e1.map(\.finalState) == e2.map(\.finalState))
        #expect(r1.history[0].trainLoss == r2.history[0].trainLoss)
        #expect(r1.history[0].validationLoss != r2.history[0].validationLoss)
    }

    /// Single-threaded, the same seed gives the same weights bit for bit; another seed does not.
    @Test func sameSeedSameModel() throws {
        let bars = syntheticBars(300)
        let a = try NeuralTrainer(configuration: config()).train([("X", bars)])
        let b = try NeuralTrainer(configuration: config()).train([("X", bars)])
        var other = config(); other.seed = 4
        let c = try NeuralTrainer(configuration: other).train([("X", bars)])
        #expect(a.model.weights == b.model.weights)
        #expect(a.model.weights != c.model.weights)
        // Losses equal bit for bit (timings differ, of course).
        #expect(a.history.map { [$0.trainLoss, $0.validationLoss] } == b.history.map { [$0.trainLoss, $0.validationLoss] })
    }

    @Test func stateAfterTheWholeHistoryEqualsAStepByStepReplay() throws {
        let bars = syntheticBars(300)
        let r = try NeuralTrainer(configuration: config(epochs: 2)).train([("X", bars)])
        let f = try SeriesFeatures.build(symbol: "X", bars: bars, kind: .returns)
        let scaler = r.model.scalers["X"]!
        var state = r.model.zeroState()
        var out = [Float](repeating: 0, count: 1)
        for t in 0..<f.count { try r.model.network.step(f.input(t, scaler: scaler), state: &state, output: &out) }
        let stored = r.finalStates[0].state
        for (a, b) in zip(stored.layers, state.layers) {
            for (x, y) in zip(a.h + a.c, b.h + b.c) { #expect(abs(x - y) <= 1e-5 * max(1, abs(y))) }
        }
        #expect(r.finalStates[0].asOf == bars.last!.date && r.finalStates[0].lastPrice == bars.last!.close)
    }

    @Test func divergenceStopsWithTheEpochNamed() throws {
        var c = config(epochs: 5)
        c.learningRate = 0.9
        c.clipNorm = 1e9
        let bars = syntheticBars(300).enumerated().map { i, b -> Bar in
            var b = b; b.close = i % 2 == 0 ? 1e-300 : 1e300; return b   // returns of ±1400: the loss overflows
        }
        var thrown: TrainingError?
        do { _ = try NeuralTrainer(configuration: c).train([("X", bars)]) } catch { thrown = error }
        let epoch: Int? = if case .nonFiniteLoss(let e, _) = thrown { e } else { nil }
        #expect(epoch != nil, "expected a non-finite loss, got \(String(describing: thrown))")
        #expect("\(thrown.map { "\($0)" } ?? "")".contains("nothing was saved"))
    }

    @Test func volumeFeatureFallsBackToReturnsWhenMissing() throws {
        var c = config(epochs: 1)
        c.features = .returnsVolume
        let with = try NeuralTrainer(configuration: c).train([("X", syntheticBars(300))])
        #expect(with.model.features == .returnsVolume && with.model.network.configuration.inputSize == 2)
        let without = try NeuralTrainer(configuration: c).train([("X", syntheticBars(300, volume: false))])
        #expect(without.model.features == .returns && without.notes.contains { $0.contains("returns only") })
    }

    @Test func severalSymbolsTrainOneStreamEach() throws {
        let r = try NeuralTrainer(configuration: config(epochs: 1)).train([("A", syntheticBars(300)), ("B", syntheticBars(260, seed: 9))])
        #expect(r.streams == 2 && r.finalStates.map(\.symbol) == ["A", "B"])
        #expect(Set(r.model.scalers.keys) == ["A", "B"])
    }

    /// On a series with a learnable pattern the trained model beats predicting zero returns.
    @Test func learnsAPatternTheRandomWalkCannot() throws {
        var c = config(epochs: 40)
        c.hidden = 16; c.learningRate = 5e-3
        let r = try NeuralTrainer(configuration: c).train([("X", syntheticBars(1200))])
        #expect(r.bestValidationLoss < 0.5 * r.randomWalkValidationLoss,
                "validation \(r.bestValidationLoss) vs random walk \(r.randomWalkValidationLoss)")
    }
}
