import AugurCore
import Testing
import AugurForecast

// y = 2, 4, 5 and ŷ = 1, 5, 5: errors 1, −1, 0.
private let actual: [Double] = [2, 4, 5]
private let point: [Double] = [1, 5, 5]

private func value(_ m: Metric, _ input: MetricInput) throws -> Double { try m.value(on: input) }

@Test func scaleDependentMetricsByHand() throws {
    let input = MetricInput(actual: actual, point: point)
    #expect(close(try value(.mae, input), 2.0 / 3))                     // (1 + 1 + 0)/3
    #expect(close(try value(.rmse, input), (2.0 / 3).squareRoot()))     // √((1 + 1 + 0)/3)
    #expect(close(try value(.mape, input), 25))                         // 100·(1/2 + 1/4 + 0)/3
    #expect(close(try value(.smape, input), 800.0 / 27))                // 100·(2·1/3 + 2·1/9 + 0)/3
}

@Test func maseScalesByTrainingNaiveMAE() throws {
    // Training 1, 3, 2, 6: naive in-sample errors 2, 1, 4 → scale 7/3; MASE = (2/3)/(7/3) = 2/7.
    let plain = MetricInput(actual: actual, point: point, training: [1, 3, 2, 6])
    #expect(close(try value(.mase, plain), 2.0 / 7))
    // Seasonal m = 2: |2 − 1|, |6 − 3| → scale 2; MASE = (2/3)/2 = 1/3.
    let seasonal = MetricInput(actual: actual, point: point, training: [1, 3, 2, 6], seasonLength: 2)
    #expect(close(try value(.mase, seasonal), 1.0 / 3))
    #expect(throws: ForecastError.missingMetricInput(metric: .mase, input: "training data longer than one season (1)")) {
        try value(.mase, MetricInput(actual: actual, point: point))
    }
    #expect(throws: ForecastError.undefinedMetric(metric: .mase, reason: "the training data never changes")) {
        try value(.mase, MetricInput(actual: actual, point: point, training: [3, 3, 3]))
    }
}

@Test func relativeMAEAgainstBaseline() throws {
    // Baseline 2, 2, 2 errs 0, 2, 3 → MAE 5/3; rel_mae = (2/3)/(5/3) = 0.4.
    #expect(close(try value(.relativeMAE, MetricInput(actual: actual, point: point, baselinePoint: [2, 2, 2])), 0.4))
}

@Test func directionalAccuracyComparesSignsOfChange() throws {
    // Origins 1.5, 4.5, 5: forecast moves −, +, 0; actual moves +, −, 0 → only the flat third agrees: 1/3.
    let input = MetricInput(actual: actual, point: point, originValues: [1.5, 4.5, 5])
    #expect(close(try value(.directionalAccuracy, input), 100.0 / 3))
}

@Test func coverageAndPinballByHand() throws {
    let i80 = PredictionInterval(level: 80, lower: [0, 4.5, 4], upper: [3, 6, 4.5])
    let i95 = PredictionInterval(level: 95, lower: [0, 3, 4], upper: [3, 6, 6])
    // 80%: 2 ∈ [0, 3]; 4 < 4.5; 5 > 4.5 → 1 of 3. 95%: all inside.
    let both = MetricInput(actual: actual, point: point, intervals: [i80, i95])
    #expect(close(try value(.coverage80, both), 100.0 / 3))
    #expect(close(try value(.coverage95, both), 100))
    // Pinball on the 80% interval alone: quantiles τ = 0.1 (lower) and 0.9 (upper).
    // Lower: y − q = 2, −0.5, 1 → 0.1·2 + 0.9·0.5 + 0.1·1 = 0.75.
    // Upper: y − q = −1, −2, 0.5 → 0.1·1 + 0.1·2 + 0.9·0.5 = 0.75. Mean over 6 terms = 1.5/6 = 0.25.
    #expect(close(try value(.pinball, MetricInput(actual: actual, point: point, intervals: [i80])), 0.25))
    #expect(throws: ForecastError.missingMetricInput(metric: .coverage95, input: "a 95% interval")) {
        try value(.coverage95, MetricInput(actual: actual, point: point, intervals: [i80]))
    }
}

@Test func metricsRejectEmptyAndMismatchedInput() {
    #expect(throws: ForecastError.undefinedMetric(metric: .mae, reason: "no forecasts to score")) {
        try value(.mae, MetricInput(actual: [], point: []))
    }
    #expect(throws: ForecastError.lengthMismatch(what: "rmse forecasts", expected: 3, got: 2)) {
        try value(.rmse, MetricInput(actual: actual, point: [1, 2]))
    }
    #expect(throws: ForecastError.undefinedMetric(metric: .mape, reason: "an actual value is zero")) {
        try value(.mape, MetricInput(actual: [0, 1], point: [1, 1]))
    }
}

/// Widths and the 95% interval score by hand: y = 2, 4, 5 with the 95% interval [1.5, 3], [4.5, 6],
/// [4, 6] — inside, 0.5 below, inside; the 80% interval [1.8, 2.5] everywhere.
@Test func widthsAndIntervalScoreByHand() throws {
    let i95 = PredictionInterval(level: 95, lower: [1.5, 4.5, 4], upper: [3, 6, 6])
    let i80 = PredictionInterval(level: 80, lower: [1.8, 1.8, 1.8], upper: [2.5, 2.5, 2.5])
    let input = MetricInput(actual: actual, point: point, intervals: [i80, i95], training: [1, 3, 2, 6])
    #expect(close(try value(.width95, input), (1.5 + 1.5 + 2) / 3))
    #expect(close(try value(.width80, input), 0.7))
    // (1.5 + (1.5 + 40·0.5) + 2)/3 = 25/3, over the naive scale 7/3: 25/7.
    #expect(close(try value(.msis, input), 25.0 / 7))
    #expect(throws: ForecastError.missingMetricInput(metric: .msis, input: "a 95% interval")) {
        try value(.msis, MetricInput(actual: actual, point: point, intervals: [i80], training: [1, 3, 2, 6]))
    }
}
