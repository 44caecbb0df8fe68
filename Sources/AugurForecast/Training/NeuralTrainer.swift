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

    public func train(_ inputs: [(symbol: String, bars: [Bar])]) throws(TrainingError) -> TrainingResult {
        let cfg = configuration
        try cfg.validate()
        guard !inputs.isEmpty else { throw .invalidConfiguration("no symbols to train on") }
        let started = Date()
        var notes: [String] = []

        // Features; if any series lacks volume, every series uses returns only.
        var features = try inputs.map { (s) throws(TrainingError) in try SeriesFeatures.build(symbol: s.symbol, bars: s.bars, kind: cfg.features) }
        let kind: FeatureKind = features.allSatisfy({ $0.kind == cfg.features }) ? cfg.features : .returns
        if kind != cfg.features {
            notes.append("volume missing in a series: trained on returns only")
            features = try inputs.map { (s) throws(TrainingError) in try SeriesFeatures.build(symbol: s.symbol, bars: s.bars, kind: .returns) }
        }

        // Split each series in time; scalers see training rows only.
        let L = cfg.window
        var trainPairs: [Int] = [], scalers: [Scaler] = []
        for f in features {
            let pairs = f.pairCount
            let validation = max(1, Int((Double(pairs) * cfg.validationFraction).rounded()))
            let train = pairs - validation
            guard train >= L + 1 else {
                throw .seriesTooShort(symbol: f.symbol, needed: Int(Double(L + 2) / (1 - cfg.validationFraction)) + 3, got: f.count + 1)
            }
            trainPairs.append(train)
            // Training pairs t < train read rows 0 … train (the last target is row `train`).
            scalers.append(Scaler.fit(f.raw[0...train], features: kind.inputSize))
        }

        let batcher: ContiguousBatcher
        if features.count == 1 {
            // Fewer streams when the series is short, so every stream keeps a few windows.
            var B = cfg.streams
            while B > 1, trainPairs[0] / B / L < 4 { B -= 1 }
            if B != cfg.streams { notes.append("streams reduced from \(cfg.streams) to \(B) to fit \(trainPairs[0]) training steps") }
            batcher = try ContiguousBatcher(pairs: trainPairs[0], streams: B, window: L)
        } else {
            batcher = try ContiguousBatcher(pairsPerSeries: trainPairs, window: L)
        }
        let B = batcher.streams
        let assembler = BatchAssembler(features: features, scalers: scalers, window: L)
        let scalerBySymbol = Dictionary(uniqueKeysWithValues: zip(features.map(\.symbol), scalers))
        let model = try NeuralModel(configuration: cfg, features: kind, scalers: scalerBySymbol)
        let net = model.network
        let adam = Adam<Float>(learningRate: cfg.learningRate, weightDecay: cfg.weightDecay)
        var generator = SeededGenerator(seed: cfg.seed &+ 0x5EED)

        // Stateful batches never change: assemble them once.
        let fixedBatches = cfg.mode == .stateful ? batcher.layout.map { assembler.assemble($0) } : []
        var history: [EpochRecord] = []
        var best = (epoch: 0, loss: Double.infinity, weights: model.weights)
        var stoppedEarly = false
        let lossFunction = cfg.loss

        for epoch in 1...cfg.epochs {
            let t0 = Date()
            var state = net.zeroState(batch: B)
            var lossSum = 0.0
            let order = cfg.mode == .stateless ? generator.permutation(batcher.allWindows.count) : []
            for k in 0..<batcher.batchCount {
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
                net.zeroGradients()
                let out: (y: [Float], finalState: RecurrentState<Float>)
                do {
                    out = try net.forward(x, steps: L, batch: B, state: state, training: true)
                    let (value, dy) = try lossFunction.valueAndGradient(prediction: out.y, target: y)
                    lossSum += value
                    try net.backward(dy: dy)   // no gradient through the final state: truncated BPTT
                } catch { throw .network("\(error)") }
                clipGlobalNorm(net.parameterBuffers, maxNorm: cfg.clipNorm)
                adam.step(net.parameterBuffers)
                onBatch?(BatchEvent(epoch: epoch, batch: k, windows: windows, initialState: state, finalState: out.finalState))
                if cfg.mode == .stateful { state = out.finalState }
            }
            let trainSeconds = Date().timeIntervalSince(t0)
            let trainLoss = lossSum / Double(batcher.batchCount)
            guard trainLoss.isFinite else { throw .nonFiniteLoss(epoch: epoch, which: "training") }
            let validationLoss = try validate(model: model, features: features, scalers: scalers, trainPairs: trainPairs,
                                              endState: state, batcher: batcher)
            guard validationLoss.isFinite else { throw .nonFiniteLoss(epoch: epoch, which: "validation") }
            let seconds = Date().timeIntervalSince(t0)
            let record = EpochRecord(epoch: epoch, trainLoss: trainLoss, validationLoss: validationLoss, seconds: seconds,
                                     trainSeconds: trainSeconds)
            history.append(record)
            let isBest = validationLoss < best.loss
            if isBest { best = (epoch, validationLoss, model.weights) }
            let elapsed = Date().timeIntervalSince(started)
            onEpoch?(EpochProgress(record: record, maxEpochs: cfg.epochs,
                                   stepsPerSecond: Double(batcher.stepsPerEpoch) / max(trainSeconds, 1e-9),
                                   elapsed: elapsed, eta: elapsed / Double(epoch) * Double(cfg.epochs - epoch), isBest: isBest))
            if epoch - best.epoch >= cfg.patience, epoch < cfg.epochs { stoppedEarly = true; break }
        }
        do { try net.loadParameters(from: best.weights) } catch { throw .network("\(error)") }

        // Each symbol's state after its whole history, from zero: forecasting later needs no replay.
        var finalStates: [StreamState] = []
        for (f, s) in zip(features, scalers) {
            var st = net.zeroState(batch: 1)
            try model.advance(&st, over: f.raw[...], scaler: s)
            finalStates.append(StreamState(symbol: f.symbol, asOf: f.dates.last!, lastPrice: f.prices.last!, state: st))
        }
        let randomWalk = Self.randomWalkLoss(features: features, scalers: scalers, trainPairs: trainPairs, loss: lossFunction)
        return TrainingResult(
            model: model, history: history, bestEpoch: best.epoch, bestValidationLoss: best.loss,
            randomWalkValidationLoss: randomWalk, seconds: Date().timeIntervalSince(started),
            stepsPerEpoch: batcher.stepsPerEpoch, streams: B,
            dropped: Dictionary(uniqueKeysWithValues: zip(features.map(\.symbol), batcher.droppedPerSeries)),
            finalStates: finalStates, notes: notes,
            firstDate: features.map { $0.dates.first! }.min()!, lastDate: features.map { $0.dates.last! }.max()!,
            stoppedEarly: stoppedEarly)
    }

    /// Mean loss over every series' validation pairs (targets scaled as in training).
    func validate(model: NeuralModel, features: [SeriesFeatures], scalers: [Scaler], trainPairs: [Int],
                  endState: RecurrentState<Float>, batcher: ContiguousBatcher) throws(TrainingError) -> Double {
        let net = model.network, L = configuration.window, I = model.features.inputSize
        var total = 0.0, count = 0
        for (s, f) in features.enumerated() {
            let first = trainPairs[s], n = f.pairCount - first
            let sc = scalers[s]
            var prediction: [Float], target: [Float] = (first..<f.pairCount).map { f.target($0, scaler: sc) }
            do {
                if configuration.mode == .stateful {
                    // The stream whose last window ended at the end of training carries on.
                    let row = features.count == 1 ? batcher.streams - 1 : s
                    var x = [Float](repeating: 0, count: n * I)
                    for t in 0..<n { for j in 0..<I { x[t * I + j] = Float(sc.scale(f.raw[first + t][j], feature: j)) } }
                    prediction = try net.forward(x, steps: n, batch: 1, state: endState.row(row), training: false).y
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
                        prediction += y[((L - 1) * m)..<(L * m)]
                    }
                }
            } catch { throw .network("\(error)") }
            total += prediction.withUnsafeBufferPointer { p in
                target.withUnsafeMutableBufferPointer { t in
                    configuration.loss.evaluate(prediction: p.baseAddress!, target: t.baseAddress!, count: n, gradient: nil)
                }
            } * Double(n)
            count += n
        }
        return total / Double(max(count, 1))
    }

    /// The validation loss of predicting a zero log return at every step.
    static func randomWalkLoss(features: [SeriesFeatures], scalers: [Scaler], trainPairs: [Int], loss: Loss) -> Double {
        var total = 0.0, count = 0
        for (s, f) in features.enumerated() {
            let first = trainPairs[s], n = f.pairCount - first
            let zero = Float(scalers[s].scale(0, feature: 0))
            let p = [Float](repeating: zero, count: n)
            let t = (first..<f.pairCount).map { f.target($0, scaler: scalers[s]) }
            total += loss.evaluate(prediction: p, target: t, count: n, gradient: nil) * Double(n)
            count += n
        }
        return total / Double(max(count, 1))
    }
}
