import AugurCore

/// The rolling-origin protocol of issue 5, fixed so that results compare with the statsforecast anchors.
///
/// Of the last `window` observations (all when fewer), the last `testFraction` (rounded down) is the test
/// part. Origins start at the first test point and advance by `originStep`; at each origin every model
/// sees only the data before it and forecasts `horizons.max()` steps, scored at each of `horizons`.
public struct BacktestConfiguration: Sendable, Equatable {
    public var window: Int
    public var testFraction: Double
    /// Distance between consecutive origins, in observations.
    public var originStep: Int
    /// The horizons scored (1-based steps after the origin).
    public var horizons: [Int]
    /// Interval levels requested from every model, in percent.
    public var levels: [Double]
    /// The season of MASE's scale; nil decides from the training part with `Seasonality.modelPeriod`.
    public var maseSeasonLength: Int?
    /// Overrides every model's own `refitPolicy` when set.
    public var refitPolicy: RefitPolicy?
    /// The metrics in the result table.
    public var metrics: [Metric]
    /// Which intervals are scored: the models' own, split conformal, or the calibrated method.
    public var intervals: IntervalPolicy
    /// The distance between calibration origins (whose errors calibrate the intervals; 1: every
    /// observation, as the daily job sees them). Independent of `originStep`, so every origin step
    /// evaluates the same calibrated intervals.
    public var calibrationStep: Int
    /// Observations before the first scored origin that calibration origins cover, at most (fewer when
    /// the training part is short: the first calibration fit keeps at least half of it).
    public var calibrationSpan: Int

    public init(window: Int = 1000, testFraction: Double = 0.2, originStep: Int, horizons: [Int],
                levels: [Double] = [80, 95], maseSeasonLength: Int? = nil, refitPolicy: RefitPolicy? = nil,
                metrics: [Metric] = Metric.allCases, intervals: IntervalPolicy = .calibrated,
                calibrationStep: Int? = nil, calibrationSpan: Int = 500) {
        self.window = window
        self.testFraction = testFraction
        self.originStep = originStep
        self.horizons = horizons
        self.levels = levels
        self.maseSeasonLength = maseSeasonLength
        self.refitPolicy = refitPolicy
        self.metrics = metrics
        self.intervals = intervals
        self.calibrationStep = calibrationStep ?? 1
        self.calibrationSpan = calibrationSpan
    }

    /// The defaults: daily data → an origin every 5 steps, horizons 1, 5, 20; monthly → every step,
    /// horizons 1, 6, 12; other frequencies every step with horizons of a similar span.
    public static func standard(for frequency: Frequency) -> BacktestConfiguration {
        switch frequency {
        case .daily: return BacktestConfiguration(originStep: 5, horizons: [1, 5, 20])
        case .weekly: return BacktestConfiguration(originStep: 1, horizons: [1, 4, 13])
        case .monthly: return BacktestConfiguration(originStep: 1, horizons: [1, 6, 12])
        case .quarterly: return BacktestConfiguration(originStep: 1, horizons: [1, 2, 4])
        case .yearly: return BacktestConfiguration(originStep: 1, horizons: [1, 2, 3])
        }
    }

    /// The standard protocol of a history's frequency; a history without a detected frequency counts
    /// as daily.
    public static func standard(for history: TimeSeriesHistory) -> BacktestConfiguration {
        standard(for: history.frequency ?? .daily)
    }

    func validate() throws(ForecastError) {
        guard window >= 2 else { throw .invalidParameter(name: "window", value: Double(window), reason: "must be at least 2") }
        guard testFraction > 0, testFraction < 1 else {
            throw .invalidParameter(name: "testFraction", value: testFraction, reason: "must lie strictly between 0 and 1")
        }
        guard originStep >= 1 else {
            throw .invalidParameter(name: "originStep", value: Double(originStep), reason: "must be at least 1")
        }
        guard calibrationStep >= 1 else {
            throw .invalidParameter(name: "calibrationStep", value: Double(calibrationStep), reason: "must be at least 1")
        }
        guard !horizons.isEmpty else { throw .invalidParameter(name: "horizons", value: 0, reason: "give at least one horizon") }
        for h in horizons where h < 1 { throw .invalidHorizon(h) }
        for l in levels where !(l > 0 && l < 100) { throw .invalidLevel(l) }
    }
}
