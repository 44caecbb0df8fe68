/// One period of a market series. Only `close` is required: sources such as a VIX level file
/// or a monthly `date,value` series have nothing else, and missing columns stay nil (NULL in the store).
public struct Bar: Hashable, Sendable, Codable {
    public var date: CivilDate
    public var open: Double?
    public var high: Double?
    public var low: Double?
    public var close: Double
    public var adjClose: Double?
    public var volume: Double?

    public init(date: CivilDate, open: Double? = nil, high: Double? = nil, low: Double? = nil,
                close: Double, adjClose: Double? = nil, volume: Double? = nil) {
        self.date = date
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.adjClose = adjClose
        self.volume = volume
    }

    /// The price a forecaster models: the adjusted close where the source has one, the close otherwise.
    public var price: Double { adjClose ?? close }
}

/// A symbol's bars in date order, as the forecaster reads them.
public struct Series: Sendable, Equatable {
    public var symbol: String
    /// Prices (positive, modelled on log returns) or values (any finite number, modelled additively).
    public var kind: SeriesKind
    public var dates: [CivilDate]
    public var bars: [Bar]

    public init(symbol: String, kind: SeriesKind = .price, bars: [Bar]) {
        self.symbol = symbol
        self.kind = kind
        // The store hands bars over in date order: sort (a copy of every bar) only when they are not.
        let ordered = zip(bars, bars.dropFirst()).allSatisfy { $0.date <= $1.date }
        self.bars = ordered ? bars : bars.sorted { $0.date < $1.date }
        self.dates = self.bars.map(\.date)
    }

    public var count: Int { bars.count }
    public var isEmpty: Bool { bars.isEmpty }
    /// Adjusted close (or close) per bar.
    public var prices: [Double] { bars.map(\.price) }
    /// Volume per bar, nil where the source has none.
    public var volumes: [Double?] { bars.map(\.volume) }
    public var first: CivilDate? { dates.first }
    public var last: CivilDate? { dates.last }
}
