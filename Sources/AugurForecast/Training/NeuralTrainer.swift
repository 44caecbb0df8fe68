import AugurCore
import AugurNN
import Foundation

/// One epoch's numbers, as the progress display and the `training_epochs` table see them.
public struct EpochRecord: Sendable, Codable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var validationLoss: Double
    /// The whole epoch: training and validation.
    public var seconds: Double
    /// The training batches alone (what compares stateful with stateless).
    public var trainSeconds: Double

    public init(epoch: Int, trainLoss: Double, validationLoss: Double, seconds: Double, trainSeconds: Double? = nil) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.seconds = seconds
        self.trainSeconds = trainSeconds ?? seconds
    }
}

/// Progress after each epoch.
public struct EpochProgress: Sendable {
    public var record: EpochRecord
    public var maxEpochs: Int
    public var stepsPerSecond: Double
    public var elapsed: Double
    /// Seconds left if every remaining epoch runs (early stopping may end sooner).
    public var eta: Double
    public var isBest: Bool
}

/// What the trainer tells an observer about every batch (tests use it to check the carry).
public struct BatchEvent {
    public var epoch: Int
    public var batch: Int
    public var windows: [ContiguousBatcher.WindowIndex]
    public var initialState: RecurrentState<Float>
    public var finalState: RecurrentState<Float>
}

/// The outcome of training.
public struct TrainingResult {
    public var model: NeuralModel
    public var history: [EpochRecord]
    public var bestEpoch: Int
    public var bestValidationLoss: Double
    /// The validation loss of predicting a zero return (the random walk), in the same units.
    public var randomWalkValidationLoss: Double
    public var seconds: Double
    public var stepsPerEpoch: Int
    /// Streams actually used, and pairs dropped at the oldest end per symbol.
    public var streams: Int
    public var dropped: [String: Int]
    /// Each symbol's state after the whole history, for forecasting without replay.
    public var finalStates: [StreamState]
    public var notes: [String]
    public var firstDate: CivilDate
    public var lastDate: CivilDate
    public var stoppedEarly: Bool
}

/// Trains a `NeuralModel` on one or more symbols' bars, stateful or stateless.
///
/// Stateful: batches come from `ContiguousBatcher` in order; the final (h, c) of batch k is the
/// initial state of batch k+1 (gradients stop there: truncated BPTT) and the state is zero at the
/// start of every epoch. Stateless: the same windows, shuffled each epoch with a seeded
/// permutation, zero state for every batch. Validation is the newest `validationFraction` of each
/// series: a stateful model continues from the state its stream ended training with; a stateless
/// model sees, for every validation step, the preceding L inputs from a zero state, as in training.
public struct NeuralTrainer {
    public var configuration: TrainingConfiguration
    public var onEpoch: ((EpochProgress) -> Void)?
    public var onBatch: ((BatchEvent) -> Void)?

    public init(configuration: TrainingConfiguration) { self.configuration = configuration }

    /// `returnKinds` (one per input, log returns for all when nil): how each series' values become its
    /// return feature — log returns of a price, differences of a value series.
    public func train(_ inputs: [(symbol: String, bars: [Bar])], returnKinds: [ReturnKind]? = nil) throws(TrainingError) -> TrainingResult {
        var cfg = configuration
        try cfg.validate()
        guard !inputs.isEmpty else { throw .invalidInput("no symbols to train on") }
        if let returnKinds, returnKinds.count != inputs.count { throw .invalidInput("one return kind per series") }
        let started = Date()
        var rateNote: String?
        let longest = inputs.map(\.bars.count).max() ?? 0
        if cfg.learningRateFixed != true, cfg.learningRate == TrainingConfiguration.defaultLearningRate,
           longest <= TrainingConfiguration.smallSeriesObservations {
            cfg.learningRate = TrainingConfiguration.smallSeriesLearningRate
            rateNote = "learning rate \(cfg.learningRate) for a series of \(longest) observations"
        }
        var headNote: String?
        if cfg.head == .direct, cfg.directHorizon == nil {
            // The direct head's horizon: the longest of the standard backtest's horizons for the data,
            // shortened when the shortest series cannot spare the 2(H − 1) observations it costs.
            let frequency = Frequency.detect(inputs[0].bars.map(\.date)) ?? .daily
            let wanted = BacktestConfiguration.standard(for: frequency).horizons.max() ?? 20
            let rows = inputs.map { $0.bars.count - 1 }.min() ?? 0
            func fits(_ H: Int) -> Bool {
                let pairs = rows - H
                return pairs - max(1, Int((Double(pairs) * cfg.validationFraction).rounded())) - (H - 1) >= cfg.window + 1
            }
            let H = (1...max(1, wanted)).reversed().first(where: fits) ?? wanted
            if H < wanted { headNote = "direct horizon shortened from \(wanted) to \(H) to fit \(rows + 1) observations; steps beyond it are recursive" }
            cfg.directHorizon = H
        }
        // Every step below runs with the settings resolved here (the direct horizon, the capped hidden size).
        var trainer = self
        trainer.configuration = cfg
        var data = try trainer.prepare(inputs, returnKinds: returnKinds ?? inputs.map { _ in .log })
        if let headNote { data.notes.append(headNote) }
        if let rateNote { data.notes.append(rateNote) }
        // A network sized for thousands of daily steps overfits a monthly series of a hundred: at most one
        // hidden unit per 12 training steps (at least 8), as the streams are reduced for a short series.
        let steps = data.trainPairs.reduce(0, +)
        let capped = min(cfg.hidden, max(Self.minimumHidden, steps / Self.stepsPerHiddenUnit))
        if capped < cfg.hidden {
            data.notes.append("hidden units reduced from \(cfg.hidden) to \(capped) for \(steps) training steps")
            cfg.hidden = capped
            trainer.configuration = cfg
        }
        let batcher = try trainer.makeBatcher(&data)
        let model = try NeuralModel(configuration: cfg, features: data.kind,
                                    scalers: Dictionary(uniqueKeysWithValues: zip(data.features.map(\.symbol), data.scalers)))
        let outcome = try trainer.runEpochs(model: model, data: data, batcher: batcher)
        let finalStates = try trainer.finalStates(model: model, data: data)
        let randomWalk = Self.randomWalkLoss(features: data.features, scalers: data.scalers, trainPairs: data.trainPairs,
                                             loss: cfg.loss, steps: cfg.outputSteps)
        return TrainingResult(
            model: model, history: outcome.history, bestEpoch: outcome.bestEpoch, bestValidationLoss: outcome.bestLoss,
            randomWalkValidationLoss: randomWalk, seconds: Date().timeIntervalSince(started),
            stepsPerEpoch: batcher.stepsPerEpoch, streams: batcher.streams,
            dropped: Dictionary(uniqueKeysWithValues: zip(data.features.map(\.symbol), batcher.droppedPerSeries)),
            finalStates: finalStates, notes: data.notes,
            firstDate: data.features.map { $0.dates.first! }.min()!, lastDate: data.features.map { $0.dates.last! }.max()!,
            stoppedEarly: outcome.stoppedEarly)
    }

    /// Every series' features, split in time, with scalers fitted on the training rows only.
    struct Prepared {
        var features: [SeriesFeatures]
        var kind: FeatureKind
        /// Training pairs per series; the rest of each series is validation.
        var trainPairs: [Int]
        var scalers: [Scaler]
        var notes: [String]
    }

    /// Step 1: features and split. If any series lacks volume, every series uses returns only.
    func prepare(_ inputs: [(symbol: String, bars: [Bar])], returnKinds: [ReturnKind]) throws(TrainingError) -> Prepared {
        let cfg = configuration
        var notes: [String] = []
        // Seasonal factors from each series' training part only (what validation and later data hold
        // must not shape the inputs the model is judged on).
        let setting = cfg.seasonal ?? .auto
        let profiles: [SeasonalProfile?] = inputs.map { s in
            guard setting != .off else { return nil }
            let used = Array(s.bars.prefix(Self.trainingObservations(s.bars.count, validationFraction: cfg.validationFraction)))
            let dates = used.map(\.date)
            return SeasonalProfile.fit(values: used.map(\.price), dates: dates, setting: setting,
                                       everyDay: TimeSeriesHistory.observedAtWeekends(dates))
        }
        let seasonal = profiles.contains { $0 != nil }
        func build(_ kind: FeatureKind) throws(TrainingError) -> [SeriesFeatures] {
            var out: [SeriesFeatures] = []
            for ((s, r), profile) in zip(zip(inputs, returnKinds), profiles) {
                out.append(try SeriesFeatures.build(symbol: s.symbol, bars: s.bars, kind: kind, returnKind: r, seasonal: profile))
            }
            return out
        }
        let requested: FeatureKind = seasonal ? .seasonal : cfg.features
        if seasonal {
            if cfg.features == .returnsVolume { notes.append("seasonal inputs replace volume") }
            for (s, p) in zip(inputs, profiles) {
                notes.append("\(s.symbol): " + (p.map { "seasonal inputs (\($0.position.rawValue), \($0.multiplicative ? "multiplicative" : "additive"))" }
                                                ?? "no seasonal pattern found"))
            }
        }
        var features = try build(requested)
        let kind: FeatureKind = features.allSatisfy({ $0.kind == requested }) ? requested : .returns
        if kind != requested {
            notes.append("volume missing in a series: trained on returns only")
            features = try build(.returns)
        }
        let L = cfg.window
        var trainPairs: [Int] = [], scalers: [Scaler] = []
        let H = cfg.outputSteps
        for f in features {
            let pairs = f.pairCount(steps: H)
            let validation = max(1, Int((Double(pairs) * cfg.validationFraction).rounded()))
            // With the direct head the last H − 1 training pairs are left out, so no training target
            // is a validation target.
            let train = pairs - validation - (H - 1)
            guard train >= L + 1 else {
                throw .seriesTooShort(symbol: f.symbol, needed: Int(Double(L + 2) / (1 - cfg.validationFraction)) + 3 + 2 * (H - 1), got: f.count + 1)
            }
            trainPairs.append(train)
            // Training pairs t < train read rows 0 … train (the last target is row `train`).
            var scaler = Scaler.fit(f.raw[0...train], features: kind.inputSize)
            scaler.returnKind = f.returnKind == .log ? nil : f.returnKind
            scaler.seasonal = f.track?.profile
            scalers.append(scaler)
        }
        return Prepared(features: features, kind: kind, trainPairs: trainPairs, scalers: scalers, notes: notes)
    }

    /// Trains the members of a seed ensemble (`TrainingConfiguration.ensembleSize(observations:)` of
    /// them, for the longest input): member k with seed + k, each configuration recording K.
    public func trainMembers(_ inputs: [(symbol: String, bars: [Bar])],
                             returnKinds: [ReturnKind]? = nil) throws(TrainingError) -> [TrainingResult] {
        var cfg = configuration
        cfg.ensemble = cfg.ensembleSize(observations: inputs.map(\.bars.count).max() ?? 0)
        var members: [TrainingResult] = []
        for k in 0..<cfg.ensembleSize {
            var trainer = self
            trainer.configuration = cfg.member(k)
            members.append(try trainer.train(inputs, returnKinds: returnKinds))
        }
        return members
    }

    /// The hidden-size cap for short series: one unit per this many training steps, never below `minimumHidden`.
    public static let stepsPerHiddenUnit = 12
    public static let minimumHidden = 8

    /// Observations of a series of `n` that its training pairs read (the rest is validation).
    static func trainingObservations(_ n: Int, validationFraction: Double) -> Int {
        let pairs = max(0, n - 2)
        let validation = max(1, Int((Double(pairs) * validationFraction).rounded()))
        return max(0, pairs - validation) + 2
    }

    /// Step 2: the contiguous layout: one stream per series, or `streams` streams over a single one
    /// (fewer when the series is short, so every stream keeps a few windows).
    func makeBatcher(_ data: inout Prepared) throws(TrainingError) -> ContiguousBatcher {
        let cfg = configuration, L = cfg.window
        guard data.features.count == 1 else { return try ContiguousBatcher(pairsPerSeries: data.trainPairs, window: L) }
        var B = cfg.streams
        while B > 1, data.trainPairs[0] / B / L < 4 { B -= 1 }
        if B != cfg.streams { data.notes.append("streams reduced from \(cfg.streams) to \(B) to fit \(data.trainPairs[0]) training steps") }
        return try ContiguousBatcher(pairs: data.trainPairs[0], streams: B, window: L)
    }

    /// Step 3: the epochs. Stateful: the batches in layout order, each starting from the state the
    /// previous one ended with (zero at each epoch's start). Stateless: the windows shuffled with the
    /// seeded generator, zero state per batch.
    func runEpochs(model: NeuralModel, data: Prepared, batcher: ContiguousBatcher) throws(TrainingError) -> TrainingLoop.Outcome {
        let cfg = configuration, L = cfg.window, B = batcher.streams
        let net = model.network
        let assembler = BatchAssembler(features: data.features, scalers: data.scalers, window: L, steps: cfg.outputSteps)
        var generator = cfg.shuffleGenerator()
        // Stateful batches never change: assemble them once.
        let fixedBatches = cfg.mode == .stateful ? batcher.layout.map { assembler.assemble($0) } : []
        let lossFunction = cfg.loss
        var state = net.zeroState(batch: B)
        var order: [Int] = []
        let loop = TrainingLoop(configuration: cfg, stepsPerEpoch: batcher.stepsPerEpoch, onEpoch: onEpoch)
        return try loop.run(net, startEpoch: { _ in
            state = net.zeroState(batch: B)
            order = cfg.mode == .stateless ? generator.permutation(batcher.allWindows.count) : []
            return batcher.batchCount
        }, batch: { (epoch, k) throws(TrainingError) -> Double in
            let windows: [ContiguousBatcher.WindowIndex]
            let x: [Float], y: [Float]
            if cfg.mode == .stateful {
                windows = batcher.layout[k]
                (x, y) = fixedBatches[k]
            } else {
                windows = order[(k * B)..<((k + 1) * B)].map { batcher.allWindows[$0] }
                (x, y) = assembler.assemble(windows)
                state = net.zeroState(batch: B)
            }
            do {
                let out = try net.forward(x, steps: L, batch: B, state: state, training: true)
                let (value, dy) = try lossFunction.valueAndGradient(prediction: out.y, target: y)
                try net.backward(dy: dy)   // no gradient through the final state: truncated BPTT
                onBatch?(BatchEvent(epoch: epoch, batch: k, windows: windows, initialState: state, finalState: out.finalState))
                if cfg.mode == .stateful { state = out.finalState }
                return value
            } catch { throw TrainingError(error) }
        }, validate: { () throws(TrainingError) -> Double in
            try validate(model: model, features: data.features, scalers: data.scalers, trainPairs: data.trainPairs,
                         endState: state, batcher: batcher)
        })
    }

    /// Step 4: each symbol's state after its whole history, from zero: forecasting later needs no replay.
    func finalStates(model: NeuralModel, data: Prepared) throws(TrainingError) -> [StreamState] {
        var out: [StreamState] = []
        for (f, s) in zip(data.features, data.scalers) {
            var st = model.network.zeroState(batch: 1)
            try model.advance(&st, over: f.raw[...], scaler: s)
            out.append(StreamState(symbol: f.symbol, asOf: f.dates.last!, lastPrice: f.prices.last!, state: st))
        }
        return out
    }

    /// Mean loss over every series' validation pairs (targets scaled as in training).
    func validate(model: NeuralModel, features: [SeriesFeatures], scalers: [Scaler], trainPairs: [Int],
                  endState: RecurrentState<Float>, batcher: ContiguousBatcher) throws(TrainingError) -> Double {
        let net = model.network, L = configuration.window, I = model.features.inputSize, H = configuration.outputSteps
        var total = 0.0, count = 0
        for (s, f) in features.enumerated() {
            let first = trainPairs[s] + (H - 1), n = f.pairCount(steps: H) - first
            let sc = scalers[s]
            guard n > 0 else { continue }
            var target = [Float](repeating: 0, count: n * H)
            for t in 0..<n { f.targets(first + t, steps: H, scaler: sc, into: &target, at: t * H) }
            var prediction: [Float]
            do {
                if configuration.mode == .stateful {
                    // The stream whose last window ended at the end of training carries on.
                    // In chunks, so memory is bounded by the chunk, not by the validation part.
                    let row = features.count == 1 ? batcher.streams - 1 : s
                    var state = endState.row(row)
                    // Validation starts H − 1 steps after training ends (the gap of the direct head):
                    // the state is carried over those steps first.
                    if H > 1 {
                        let gap = (trainPairs[s]..<first).map { t in (0..<I).map { Float(sc.scale(f.raw[t][$0], feature: $0)) } }.flatMap { $0 }
                        if !gap.isEmpty { state = try net.forward(gap, steps: first - trainPairs[s], batch: 1, state: state, training: false).finalState }
                    }
                    prediction = []
                    prediction.reserveCapacity(n * H)
                    for c in stride(from: 0, to: n, by: NeuralModel.advanceChunk) {
                        let m = min(NeuralModel.advanceChunk, n - c)
                        var x = [Float](repeating: 0, count: m * I)
                        for t in 0..<m { for j in 0..<I { x[t * I + j] = Float(sc.scale(f.raw[first + c + t][j], feature: j)) } }
                        let out = try net.forward(x, steps: m, batch: 1, state: state, training: false)
                        prediction += out.y
                        state = out.finalState
                    }
                } else {
                    // Every validation step predicted from its own preceding L inputs, zero state, in
                    // chunks of the training batch size so memory stays what training needs.
                    prediction = []
                    let chunk = batcher.streams
                    for c in stride(from: 0, to: n, by: chunk) {
                        let m = min(chunk, n - c)
                        var x = [Float](repeating: 0, count: L * m * I)
                        for b in 0..<m {
                            for t in 0..<L {
                                let p = max(0, first + c + b - L + 1 + t)
                                for j in 0..<I { x[(t * m + b) * I + j] = Float(sc.scale(f.raw[p][j], feature: j)) }
                            }
                        }
                        let y = try net.forward(x, steps: L, batch: m, state: nil, training: false).y
                        prediction += y[((L - 1) * m * H)..<(L * m * H)]
                    }
                }
            } catch { throw TrainingError(error) }
            total += prediction.withUnsafeBufferPointer { p in
                target.withUnsafeMutableBufferPointer { t in
                    configuration.loss.evaluate(prediction: p.baseAddress!, target: t.baseAddress!, count: n * H, gradient: nil)
                }
            } * Double(n * H)
            count += n * H
        }
        return total / Double(max(count, 1))
    }

    /// The validation loss of predicting a zero log return at every step (every step of the direct head).
    static func randomWalkLoss(features: [SeriesFeatures], scalers: [Scaler], trainPairs: [Int], loss: Loss,
                               steps H: Int = 1) -> Double {
        var total = 0.0, count = 0
        for (s, f) in features.enumerated() {
            let first = trainPairs[s] + (H - 1), n = f.pairCount(steps: H) - first
            guard n > 0 else { continue }
            let zero = Float(scalers[s].scale(0, feature: 0))
            let p = [Float](repeating: zero, count: n * H)
            var t = [Float](repeating: 0, count: n * H)
            for i in 0..<n { f.targets(first + i, steps: H, scaler: scalers[s], into: &t, at: i * H) }
            total += loss.evaluate(prediction: p, target: t, count: n * H, gradient: nil) * Double(n * H)
            count += n * H
        }
        return total / Double(max(count, 1))
    }
}
