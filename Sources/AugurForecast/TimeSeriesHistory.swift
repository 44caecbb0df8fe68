import AugurCore

/// The data a forecaster learns from: values in time order, with dates and frequency when known.
///
/// Dates are optional because the models only need values; the frequency (given, or detected from
/// the dates) supplies default season lengths and the dates of future targets.
public struct TimeSeriesHistory: Sendable, Equatable {
    public var values: [Double]
    /// One date per value, or empty when the series is undated.
    public var dates: [CivilDate]
    public var frequency: Frequency?
    /// Prices (positive; neural models and intervals work on log returns) or values (any finite
    /// number; differences and additive intervals).
    public var kind: SeriesKind

    /// - Throws: `ForecastError.lengthMismatch` when dates are given but not one per value,
    ///   `ForecastError.nonFiniteValue` for a NaN or infinite value.
    public init(values: [Double], dates: [CivilDate] = [], frequency: Frequency? = nil,
                kind: SeriesKind = .price) throws(ForecastError) {
        guard dates.isEmpty || dates.count == values.count else {
            throw .lengthMismatch(what: "dates", expected: values.count, got: dates.count)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(index: bad) }
        self.kind = kind
        self.values = values
        self.dates = dates
        self.frequency = frequency ?? Frequency.detect(dates)
    }

    /// A history of a series' prices (adjusted close where present).
    public init(series: Series) throws(ForecastError) {
        try self.init(values: series.prices, dates: series.dates, kind: series.kind)
    }

    public var count: Int { values.count }

    /// The returns volatility models and neural models read: log returns of a price series (when it is
    /// positive throughout), differences of a value series.
    public var returnKind: ReturnKind { ReturnKind.of(values, kind: kind) }

    /// The first `count` observations: the history as it was known at that origin.
    public func prefix(_ count: Int) -> TimeSeriesHistory {
        var h = self
        h.values = Array(values.prefix(count))
        if !dates.isEmpty { h.dates = Array(dates.prefix(count)) }
        return h
    }

    /// The last `count` observations (all of them when there are fewer).
    public func suffix(_ count: Int) -> TimeSeriesHistory {
        var h = self
        h.values = Array(values.suffix(count))
        if !dates.isEmpty { h.dates = Array(dates.suffix(count)) }
        return h
    }
}
