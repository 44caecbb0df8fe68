import AugurCore
import AugurNN
import Foundation

/// Conformal calibration for a neural model: its errors, per horizon, on the last origins of the data
/// it was fitted on, in log-price space (so one set of residuals serves a series whose level moves
/// over years). Intervals are then `exp` of the conformal quantiles around the log forecast. For a
/// value series (`additive`) the residuals are in the series' own units and the bands are additive.
public struct NeuralCalibration: Sendable, Codable, Equatable {
    /// `logResiduals[k]`: log(actual) − log(forecast) at horizon k + 1, one per calibration origin.
    public var logResiduals: [[Double]]
    /// Seq2Seq only: the factor in [0, 1] on the forecast return at horizon k + 1 (see
    /// `Seq2SeqTrainer`), kept here so that a stored model forecasts as it was calibrated.
    /// nil (older models, the recurrent models): no scaling.
    public var returnScale: [Double]?
    /// true: residuals are actual − forecast levels (a value series); nil or false: log residuals.
    public var additive: Bool?

    public init(logResiduals: [[Double]], returnScale: [Double]? = nil, additive: Bool = false) {
        self.logResiduals = logResiduals
        self.returnScale = returnScale
        self.additive = additive ? true : nil
    }

    /// Residuals under `policy`: the model's state is advanced from zero through the history, kept at
    /// each of the newest origins, and all origins are forecast in one batch.
    public static func compute(model: NeuralModel, features f: SeriesFeatures, scaler: Scaler,
                               policy: CalibrationPolicy = .standard) throws(TrainingError) -> NeuralCalibration {
        try compute(models: [model], features: f, scaler: scaler, policy: policy)
    }

    /// Residuals of a seed ensemble's forecast (the median path of its members) under `policy`.
    public static func compute(models: [NeuralModel], features f: SeriesFeatures, scaler: Scaler,
                               policy: CalibrationPolicy = .standard) throws(TrainingError) -> NeuralCalibration {
        let n = f.count, horizon = policy.horizon
        let origins = policy.originCount(available: n)
        let first = max(0, n - 1 - origins)
        let originSteps = Array(first..<(n - 1))   // origin o: the state after row o; targets o+1 … o+h
        let additive = f.returnKind == .difference
        guard !originSteps.isEmpty, horizon >= 1 else {
            return NeuralCalibration(logResiduals: Array(repeating: [], count: max(horizon, 0)), additive: additive)
        }
        var members: [[[Double]]] = []
        for model in models {
            let net = model.network
            var state = model.zeroState()
            var batch = model.zeroState(batch: originSteps.count)
            var out = [Float](repeating: 0, count: model.configuration.outputSteps)
            var next = 0
            for t in 0..<n where next < originSteps.count {
                do { try net.step(f.input(t, scaler: scaler), state: &state, output: &out) } catch { throw TrainingError(error) }
                if t == originSteps[next] { batch.setRow(next, from: state); next += 1 }
            }
            members.append(try model.forecastReturns(from: batch, horizon: horizon,
                                                     scalers: Array(repeating: scaler, count: originSteps.count),
                                                     cursors: originSteps.map { f.cursor(afterRow: $0) }))
        }
        let returns = SeedEnsemble.medianReturns(members)
        let residuals = CalibrationPolicy.logResiduals(origins: originSteps, forecastReturns: returns, horizon: horizon,
                                                       count: n) { o, h in f.returnKind.change(from: f.prices[o], to: f.prices[o + h]) }
        return NeuralCalibration(logResiduals: residuals, additive: additive)
    }

    /// Bounds around a price path at each level: conformal quantiles of the log residuals when a horizon
    /// has enough of them, otherwise a Gaussian band from their root mean square (widened by √h from
    /// the longest calibrated horizon when a horizon has none).
    ///
    /// Two promises hold whatever the residuals: every band contains its point forecast (residuals
    /// all of one sign would otherwise put both bounds on one side), and no band is narrower, on
    /// either side, than the band of the horizon before it (uncertainty does not shrink with the
    /// horizon; quantiles of a few hundred residuals per horizon jitter).
    public func intervals(prices: [Double], levels: [Double]) throws(ForecastError) -> [PredictionInterval] {
        let isAdditive = additive ?? false
        let logPoint = isAdditive ? prices : prices.map { log($0) }
        func back(_ x: Double) -> Double { isAdditive ? x : exp(x) }
        var out: [PredictionInterval] = []
        for level in levels {
            var lower: [Double] = [], upper: [Double] = []
            var below = 0.0, above = 0.0   // the widest log distances so far, below and above the point
            for (k, lp) in logPoint.enumerated() {
                let r = k < logResiduals.count ? logResiduals[k] : []
                var low: Double, high: Double
                if let i = try? ConformalIntervals.intervals(point: [lp], calibrationResiduals: [r], levels: [level],
                                                             method: .quantile).first {
                    (low, high) = (i.lower[0], i.upper[0])
                } else {
                    let z = try NormalDistribution.centralQuantile(level: level)
                    let sigma = rms(r) ?? fallbackSigma(horizon: k + 1)
                    (low, high) = (lp - z * sigma, lp + z * sigma)
                }
                below = max(below, lp - low)
                above = max(above, high - lp)
                // exp(log(p)) need not be p to the last bit: clamp so the point is inside exactly.
                lower.append(min(back(lp - below), prices[k])); upper.append(max(back(lp + above), prices[k]))
            }
            out.append(PredictionInterval(level: level, lower: lower, upper: upper))
        }
        return out
    }

    private func rms(_ r: [Double]) -> Double? {
        guard r.count >= 2 else { return nil }
        return (r.reduce(0) { $0 + $1 * $1 } / Double(r.count)).squareRoot()
    }

    private func fallbackSigma(horizon h: Int) -> Double {
        guard let (k, s) = logResiduals.enumerated().compactMap({ k, r in rms(r).map { (k + 1, $0) } }).last else { return 0 }
        return s * (Double(h) / Double(k)).squareRoot()
    }
}

/// Seed ensembles: K networks trained alike but for their seeds, forecasting their median.
public enum SeedEnsemble {
    /// The median path of the members' forecasts, as per-step returns: at each step the median of the
    /// members' cumulative returns (the median of their price paths, since a price is a monotone function
    /// of the cumulative return), differenced back. `members[m][b][k]`: member m, stream b, step k.
    public static func medianReturns(_ members: [[[Double]]]) -> [[Double]] {
        guard let first = members.first else { return [] }
        guard members.count > 1 else { return first }
        return first.indices.map { b in
            var cumulative = [Double](repeating: 0, count: members.count)
            var previous = 0.0
            return first[b].indices.map { k in
                for m in members.indices { cumulative[m] += members[m][b][k] }
                let median = AugurForecast.median(cumulative)
                defer { previous = median }
                return median - previous
            }
        }
    }
}
