// What a neural forecaster sees: daily log returns of the price (adjusted close where there is
// one) — differences for a value series, which may be zero or negative — optionally with the log change of volume, z-scored with statistics fitted on the training
// part only. The target at step t is the next step's return.
import AugurCore
import Foundation

/// The inputs a neural model is trained on.
public enum FeatureKind: String, Sendable, Codable, CaseIterable {
    /// The daily log return of the price.
    case returns
    /// The log return and the log change of volume (`log((1+v_t)/(1+v_{t−1}))`).
    case returnsVolume = "returns+volume"
    /// Seasonal inputs (`SeasonalInputs.swift`): the deseasonalised change, the target step's calendar
    /// position as sine and cosine, and the deseasonalised change one season before the target.
    case seasonal = "returns+season"

    public var inputSize: Int {
        switch self {
        case .returns: return 1
        case .returnsVolume: return 2
        case .seasonal: return 4
        }
    }
}

/// Per-feature mean and standard deviation, fitted on training rows only.
public struct Scaler: Sendable, Codable, Equatable {
    public var means: [Double]
    public var deviations: [Double]
    /// How the series' values became the first feature before scaling: log returns (nil, as stored
    /// before value series existed) or differences. Forecast returns turn back into levels the same way.
    public var returnKind: ReturnKind?
    /// The series' seasonal factors, when the model has seasonal inputs and the series is seasonal.
    public var seasonal: SeasonalProfile?

    public init(means: [Double], deviations: [Double], returnKind: ReturnKind? = nil, seasonal: SeasonalProfile? = nil) {
        self.means = means
        self.deviations = deviations
        self.returnKind = returnKind == .log ? nil : returnKind
        self.seasonal = seasonal
    }

    /// Log returns unless the scaler says differences.
    public var changes: ReturnKind { returnKind ?? .log }

    /// Fits on `rows` (each one value per feature). A constant feature gets deviation 1 so it maps to 0.
    public static func fit<Rows: Collection>(_ rows: Rows, features: Int) -> Scaler
    where Rows.Element: RandomAccessCollection<Double>, Rows.Element.Index == Int {
        var means = [Double](repeating: 0, count: features), sq = [Double](repeating: 0, count: features)
        let n = Double(max(rows.count, 1))
        for r in rows { for j in 0..<features { means[j] += r[r.startIndex + j] } }
        for j in 0..<features { means[j] /= n }
        for r in rows { for j in 0..<features { sq[j] += (r[r.startIndex + j] - means[j]) * (r[r.startIndex + j] - means[j]) } }
        let deviations = sq.map { v -> Double in
            let s = (v / n).squareRoot()
            return s > 1e-12 ? s : 1
        }
        return Scaler(means: means, deviations: deviations)
    }

    public func scale(_ v: Double, feature j: Int) -> Double { (v - means[j]) / deviations[j] }
    public func unscale(_ z: Double, feature j: Int) -> Double { z * deviations[j] + means[j] }
}

/// A series turned into model rows: `raw[t]` holds the features of return t (the change from
/// price t to price t+1), so `raw.count == prices.count − 1`.
public struct SeriesFeatures: Sendable {
    public var symbol: String
    public var kind: FeatureKind
    /// Unscaled features per return step, in one flat buffer (`raw[t][j]`): an array per row cost
    /// some 60 bytes of headers each, more than the features themselves.
    public var raw: FeatureRows
    /// The date each return step ends on (the later price's date).
    public var dates: [CivilDate]
    /// The price each return ends at: `prices[t]` is the price on `dates[t]`.
    public var prices: [Double]
    /// The price before the first return.
    public var basePrice: Double
    /// Log returns (prices) or differences (values).
    public var returnKind: ReturnKind = .log
    /// The seasonal working quantities, for `.seasonal` features of a seasonal series.
    var track: SeasonalTrack?

    /// Builds features from bars. Volume is used only when every bar has it; otherwise the
    /// returns alone are used and `kind` says so.
    ///
    /// `.seasonal` features need `seasonal`, the series' profile (its changes are then in the profile's
    /// working units, whatever `returnKind` says); without one, the seasonal inputs are 0.
    public static func build(symbol: String, bars: [Bar], kind requested: FeatureKind,
                             returnKind requestedReturns: ReturnKind = .log,
                             seasonal: SeasonalProfile? = nil) throws(TrainingError) -> SeriesFeatures {
        guard bars.count >= 3 else { throw .seriesTooShort(symbol: symbol, needed: 3, got: bars.count) }
        let prices = bars.map(\.price)
        let returnKind = requested == .seasonal ? (seasonal?.returnKind ?? requestedReturns) : requestedReturns
        if let bad = prices.firstIndex(where: { !(returnKind == .difference || $0 > 0) || !$0.isFinite }) {
            throw .badPrice(symbol: symbol, index: bad)
        }
        if requested == .seasonal {
            var raw = FeatureRows(width: FeatureKind.seasonal.inputSize, reservingCapacity: bars.count - 1)
            var track: SeasonalTrack?
            if let seasonal {
                let t = SeasonalTrack(profile: seasonal, values: prices, dates: bars.map(\.date))
                for i in 1..<bars.count { raw.append(t.row(i)) }
                track = t
            } else {
                for i in 1..<bars.count { raw.append([returnKind.change(from: prices[i - 1], to: prices[i]), 0, 0, 0]) }
            }
            var f = SeriesFeatures(symbol: symbol, kind: .seasonal, raw: raw, dates: bars.dropFirst().map(\.date),
                                   prices: Array(prices.dropFirst()), basePrice: prices[0], returnKind: returnKind)
            f.track = track
            return f
        }
        let volumes = bars.map(\.volume)
        let kind: FeatureKind = requested == .returnsVolume && volumes.allSatisfy({ ($0 ?? -1) >= 0 })
            ? .returnsVolume : .returns
        var raw = FeatureRows(width: kind.inputSize, reservingCapacity: bars.count - 1)
        for t in 1..<bars.count { raw.append(row(from: bars[t - 1], to: bars[t], kind: kind, returnKind: returnKind)) }
        return SeriesFeatures(symbol: symbol, kind: kind, raw: raw, dates: bars.dropFirst().map(\.date),
                              prices: Array(prices.dropFirst()), basePrice: prices[0], returnKind: returnKind)
    }

    /// The feature row of the change from `previous` to `current`: the log return, and for
    /// `returnsVolume` the log change of volume (0 where a volume is missing).
    public static func row(from previous: Bar, to current: Bar, kind: FeatureKind, returnKind: ReturnKind = .log) -> [Double] {
        let r = returnKind.change(from: previous.price, to: current.price)
        guard kind == .returnsVolume else { return [r] }
        guard let v0 = previous.volume, let v1 = current.volume else { return [r, 0] }
        return [r, log((1 + v1) / (1 + v0))]
    }

    public var count: Int { raw.count }

    /// The seasonal cursor after row t (at the observation row t's change leads into), nil without seasonal inputs.
    public func cursor(afterRow t: Int) -> SeasonalCursor? { track?.cursor(at: t + 1) }

    /// Row t scaled: the model input at step t.
    public func input(_ t: Int, scaler: Scaler) -> [Float] {
        (0..<kind.inputSize).map { Float(scaler.scale(raw[t][$0], feature: $0)) }
    }

    /// The target for input step t: return t+1, scaled like the return feature.
    public func target(_ t: Int, scaler: Scaler) -> Float { Float(scaler.scale(raw[t + 1][0], feature: 0)) }

    /// The `steps` targets of input step t (returns t+1 … t+steps, scaled), into `out` from `offset`.
    func targets(_ t: Int, steps: Int, scaler: Scaler, into out: inout [Float], at offset: Int) {
        for k in 0..<steps { out[offset + k] = Float(scaler.scale(raw[t + 1 + k][0], feature: 0)) }
    }

    /// Input/target pairs when every input has `steps` targets after it.
    public func pairCount(steps: Int) -> Int { max(0, raw.count - steps) }

    /// Input/target pairs available: one fewer than returns.
    public var pairCount: Int { max(0, raw.count - 1) }
}

/// Rows of `width` features each, stored flat. `rows[t]` is a `FeatureRow` indexed from 0.
public struct FeatureRows: RandomAccessCollection, Sendable {
    public private(set) var storage: [Double]
    public let width: Int

    public init(width: Int, reservingCapacity rows: Int = 0) {
        self.width = width
        storage = []
        storage.reserveCapacity(rows * width)
    }

    public init(_ rows: [[Double]], width: Int) {
        self.init(width: width, reservingCapacity: rows.count)
        for r in rows { append(r) }
    }

    /// The last `count` rows.
    public func suffix(rows count: Int) -> FeatureRows {
        var out = FeatureRows(width: width)
        out.storage = Array(storage.suffix(Swift.max(0, Swift.min(count, self.count)) * width))
        return out
    }

    public mutating func append(_ row: [Double]) {
        precondition(row.count == width, "a feature row of \(row.count) values, expected \(width)")
        storage += row
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count / Swift.max(width, 1) }
    public subscript(t: Int) -> FeatureRow { FeatureRow(values: storage[(t * width)..<((t + 1) * width)]) }
}

/// One row of `FeatureRows`, indexed from 0.
public struct FeatureRow: RandomAccessCollection, Sendable {
    let values: ArraySlice<Double>
    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }
    public subscript(j: Int) -> Double { values[values.startIndex + j] }
}
