// Training of the encoder-decoder on one series of log returns: (encoder window Le, horizon Hd)
// samples, z-scored with a scaler fitted on the training part only, shuffled each epoch, Adam with
// global-norm clipping, early stopping on the free-running loss of the newest held-out samples.
import AugurNN
import Foundation

/// Everything that decides a trained `Seq2SeqForecaster`.
///
/// The shared fields come from `TrainingConfiguration`: `cell`, `hidden`, `layers`, `epochs`,
/// `patience`, `learningRate`, `seed`, `validationFraction`, `clipNorm`, `huberDelta`, and `streams`
/// (used here as the batch size). `window`, `mode`, `features`, `dropout` and `threads` are not used
/// (the encoder window is `encoderWindow`; training is stateless and single-threaded).
public struct Seq2SeqConfiguration: Sendable, Codable, Equatable {
    public var training: TrainingConfiguration
    /// Le, returns the encoder reads before each forecast.
    public var encoderWindow = 64
    /// Hd, decoder steps trained (and calibrated).
    public var horizon = 20
    /// Probability, per decoder step and sample, of feeding the model's own previous output instead
    /// of the true previous value during training (scheduled sampling); 0 is pure teacher forcing.
    public var scheduledSampling = 0.0
    /// Calibration origins for the conformal intervals (the newest of the history).
    public var calibrationOrigins = CalibrationPolicy.standard.origins

    public init(training: TrainingConfiguration = TrainingConfiguration()) { self.training = training }

    public func validate() throws(TrainingError) {
        try training.validate()
        func check(_ ok: Bool, _ setting: TrainingSetting, _ rule: String, _ value: any Numeric) throws(TrainingError) {
            if !ok { throw .invalidSetting(setting, rule: rule, value: "\(value)") }
        }
        try check(encoderWindow >= 1 && encoderWindow <= 10_000, .encoderWindow, "must be between 1 and 10000", encoderWindow)
        try check(horizon >= 1 && horizon <= 1_000, .horizon, "must be between 1 and 1000", horizon)
        try check(scheduledSampling >= 0 && scheduledSampling <= 1, .scheduledSampling, "must be in [0, 1]",
                  scheduledSampling)
        try check(calibrationOrigins >= 1, .calibrationOrigins, "must be at least 1", calibrationOrigins)
    }

    /// The calibration of its intervals: `calibrationOrigins` origins, every trained horizon.
    public var calibrationPolicy: CalibrationPolicy {
        CalibrationPolicy(origins: calibrationOrigins, horizon: horizon)
    }

    public var network: Seq2SeqModelConfiguration {
        Seq2SeqModelConfiguration(cell: training.cell, inputSize: 1, hiddenSize: training.hidden, layers: training.layers)
    }
}

/// A trained encoder-decoder with the scaler of its returns.
public struct Seq2SeqTrainingResult {
    public var model: Seq2SeqModel<Float>
    public var scaler: Scaler
    public var bestEpoch: Int
    public var bestValidationLoss: Double
    /// Predicting a zero return at every validation target, in the same units.
    public var randomWalkValidationLoss: Double
    public var history: [EpochRecord]
    public var stoppedEarly: Bool
    /// The factor in [0, 1] on the forecast return at each horizon k + 1 (see `Seq2SeqTrainer`).
    public var returnScale: [Double]
}

/// Trains a `Seq2SeqModel` on the log returns of one series.
///
/// Sample with origin o (the last return the encoder reads): inputs r[o − Le + 1 … o], targets
/// r[o + 1 … o + Hd]. The newest `validationFraction` of the returns (at least Hd + 1 of them) is
/// held out: training samples have every target before it, validation samples have every target in
/// it, and the scaler sees training returns only. Each epoch shuffles the training origins with a
/// seeded permutation (zero encoder state per sample); the validation loss is that of free-running
/// forecasts. The weights of the best validation epoch are restored at the end.
///
/// Then, per horizon k, the forecast returns are shrunk toward a zero return (the random walk) by
/// the least-squares factor on the validation samples, α_k = clamp(Σ f·a / Σ f², 0, 1) with f the
/// forecast and a the actual return (both measured from a zero return): on a series where the
/// decoder's step-k output carries no signal α_k is near 0 and the forecast falls back to the random
/// walk; where it predicts well α_k is near 1. Fitted on held-out data before the origin only.
public struct Seq2SeqTrainer {
    public var configuration: Seq2SeqConfiguration
    public var onEpoch: ((EpochProgress) -> Void)?

    public init(configuration: Seq2SeqConfiguration) { self.configuration = configuration }

    public func train(returns r: [Double]) throws(TrainingError) -> Seq2SeqTrainingResult {
        let cfg = configuration, tc = configuration.training
        try cfg.validate()
        let Le = cfg.encoderWindow, Hd = cfg.horizon, n = r.count
        let held = max(Hd + 1, Int((Double(n) * tc.validationFraction).rounded()))
        let trainEnd = n - held   // returns 0..<trainEnd are training data
        let trainOrigins = Array(stride(from: Le - 1, through: trainEnd - 1 - Hd, by: 1))
        let validationOrigins = Array(stride(from: max(Le - 1, trainEnd - 1), through: n - 1 - Hd, by: 1))
        guard trainOrigins.count >= 1, !validationOrigins.isEmpty else {
            throw .seriesTooShort(symbol: "series", needed: Le + 2 * Hd + held + 2, got: n + 1)
        }
        let scaler = Scaler.fit(r[0..<trainEnd].map { [$0] }[...], features: 1)
        let z = r.map { Float(scaler.scale($0, feature: 0)) }
        let model: Seq2SeqModel<Float>
        do { model = try Seq2SeqModel(configuration: cfg.network, seed: tc.seed) } catch { throw TrainingError(error) }
        var generator = tc.shuffleGenerator()
        let B = max(1, min(tc.streams, trainOrigins.count))
        let loss = tc.loss
        var order: [Int] = []
        let loop = TrainingLoop(configuration: tc, stepsPerEpoch: trainOrigins.count * (Le + Hd), onEpoch: onEpoch)
        let outcome = try loop.run(model, startEpoch: { _ in
            order = generator.permutation(trainOrigins.count).map { trainOrigins[$0] }
            return (order.count + B - 1) / B
        }, batch: { (_, k) throws(TrainingError) -> Double in
            let origins = Array(order[(k * B)..<min((k + 1) * B, order.count)])
            let (x, targets) = Self.assemble(z, origins: origins, window: Le, horizon: Hd)
            do {
                let out = try model.forward(x, steps: Le, batch: origins.count, targets: targets, horizon: Hd,
                                            state: nil, training: true, samplingProbability: cfg.scheduledSampling)
                let (value, dy) = try loss.valueAndGradient(prediction: out.y, target: targets)
                try model.backward(dy: dy)   // no gradient into the zero initial state is used
                return value
            } catch { throw TrainingError(error) }
        }, validate: { () throws(TrainingError) -> Double in
            try Self.freeRunningLoss(model, z, origins: validationOrigins, window: Le, horizon: Hd, loss: loss)
        })
        // The same validation targets predicted as zero returns (the random walk), in the same units.
        let (_, targets) = Self.assemble(z, origins: validationOrigins, window: Le, horizon: Hd)
        let z0 = Float(scaler.scale(0, feature: 0))
        let zero = [Float](repeating: z0, count: targets.count)
        let randomWalk = loss.evaluate(prediction: zero, target: targets, count: targets.count, gradient: nil)
        let returnScale = try Self.returnScale(model, z, origins: validationOrigins, window: Le, horizon: Hd, zero: z0)
        return Seq2SeqTrainingResult(model: model, scaler: scaler, bestEpoch: outcome.bestEpoch,
                                     bestValidationLoss: outcome.bestLoss, randomWalkValidationLoss: randomWalk,
                                     history: outcome.history, stoppedEarly: outcome.stoppedEarly, returnScale: returnScale)
    }

    /// x (Le, B, 1) and targets (Hd, B) for the given origins of the scaled returns z.
    static func assemble(_ z: [Float], origins: [Int], window Le: Int, horizon Hd: Int) -> (x: [Float], targets: [Float]) {
        let B = origins.count
        var x = [Float](repeating: 0, count: Le * B), t = [Float](repeating: 0, count: Hd * B)
        for (b, o) in origins.enumerated() {
            for s in 0..<Le { x[s * B + b] = z[o - Le + 1 + s] }
            for k in 0..<Hd { t[k * B + b] = z[o + 1 + k] }
        }
        return (x, t)
    }

    /// α_k = clamp(Σ_b f_kb·a_kb / Σ_b f_kb², 0, 1) over the free-running forecasts from `origins`,
    /// f and a measured from `zero` (a zero return in scaled units). 0 when every f is 0.
    static func returnScale(_ model: Seq2SeqModel<Float>, _ z: [Float], origins: [Int], window Le: Int, horizon Hd: Int,
                            zero: Float) throws(TrainingError) -> [Double] {
        let (x, targets) = assemble(z, origins: origins, window: Le, horizon: Hd)
        let y: [Float]
        do { y = try model.predict(x, steps: Le, batch: origins.count, horizon: Hd, state: nil) } catch {
            throw TrainingError(error)
        }
        let B = origins.count
        return (0..<Hd).map { k in
            shrinkage(forecasts: (0..<B).map { Double(y[k * B + $0] - zero) },
                      actuals: (0..<B).map { Double(targets[k * B + $0] - zero) })
        }
    }

    /// The factor α in [0, 1] minimising Σ (a − α f)²: clamp(Σ f·a / Σ f², 0, 1); 0 when every f is 0.
    static func shrinkage(forecasts f: [Double], actuals a: [Double]) -> Double {
        var fa = 0.0, ff = 0.0
        for (x, y) in zip(f, a) { fa += x * y; ff += x * x }
        return ff > 0 ? min(1, max(0, fa / ff)) : 0
    }

    /// Mean loss of free-running forecasts from `origins` (scaled units).
    static func freeRunningLoss(_ model: Seq2SeqModel<Float>, _ z: [Float], origins: [Int], window Le: Int,
                                horizon Hd: Int, loss: Loss) throws(TrainingError) -> Double {
        let (x, targets) = assemble(z, origins: origins, window: Le, horizon: Hd)
        do {
            let y = try model.predict(x, steps: Le, batch: origins.count, horizon: Hd, state: nil)
            return try loss.valueAndGradient(prediction: y, target: targets).value
        } catch { throw TrainingError(error) }
    }
}
