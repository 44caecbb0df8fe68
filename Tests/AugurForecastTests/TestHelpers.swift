import Foundation
import AugurForecast

/// Relative-or-absolute closeness for hand-computed values: |a − b| ≤ tolerance · max(1, |b|).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance) }
}

/// Fits `model` on undated `values` and forecasts `horizon` steps at 80% and 95%.
func fitPredict<F: Forecaster>(_ model: F, _ values: [Double], horizon: Int,
                               levels: [Double] = [80, 95]) throws -> Forecast {
    var m = model
    try m.fit(TimeSeriesHistory(values: values))
    return try m.predict(horizon: horizon, levels: levels)
}

/// Deterministic Gaussian noise for synthetic series: SplitMix64 feeding Box–Muller.
struct GaussianNoise {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) / Double(1 << 53)
    }

    mutating func next() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
