import AugurCore

/// Point forecasts for steps 1…h after the origin, with central prediction intervals.
public struct Forecast: Sendable, Equatable {
    /// The model that made it.
    public var model: ModelKind
    /// `point[k]` forecasts step `k + 1` after the origin.
    public var point: [Double]
    /// One interval per requested level, in the order requested.
    public var intervals: [PredictionInterval]

    public init(model: ModelKind, point: [Double], intervals: [PredictionInterval]) {
        self.model = model
        self.point = point
        self.intervals = intervals
    }

    public var horizon: Int { point.count }

    /// The interval at `level` percent, if it was produced.
    public func interval(level: Double) -> PredictionInterval? {
        intervals.first { abs($0.level - level) < 1e-9 }
    }

    /// The quantiles this forecast carries: each interval's bounds are the (1 − L)/2 and (1 + L)/2 quantiles.
    /// Sorted by probability.
    public var quantiles: [(probability: Double, values: [Double])] {
        var out: [(probability: Double, values: [Double])] = []
        for i in intervals {
            let tail = (1 - i.level / 100) / 2
            out.append((tail, i.lower))
            out.append((1 - tail, i.upper))
        }
        return out.sorted { $0.probability < $1.probability }
    }

    /// A forecast whose errors are taken to be Gaussian with standard error `standardErrors[k]` at step k+1.
    /// This is how every analytic baseline turns its variance formula into intervals.
    public static func gaussian(model: ModelKind, point: [Double], standardErrors: [Double],
                                levels: [Double]) throws(ForecastError) -> Forecast {
        var intervals: [PredictionInterval] = []
        for level in levels {
            let z = try NormalDistribution.centralQuantile(level: level)
            intervals.append(PredictionInterval(
                level: level,
                lower: zip(point, standardErrors).map { $0 - z * $1 },
                upper: zip(point, standardErrors).map { $0 + z * $1 }))
        }
        return Forecast(model: model, point: point, intervals: intervals)
    }
}

/// Checks the arguments every `predict` shares, so each model does not repeat them.
func validatePrediction(horizon: Int, levels: [Double]) throws(ForecastError) {
    guard horizon >= 1 else { throw .invalidHorizon(horizon) }
    for l in levels where !(l > 0 && l < 100) { throw .invalidLevel(l) }
}
