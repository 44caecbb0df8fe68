import AugurCore
import AugurNN
import Foundation

/// A trained network with what it needs to be used: its configuration, the feature kind it was
/// trained on and each symbol's scaler. Inference works at any batch size: the weights do not
/// depend on B, and a state belongs to a stream.
public final class NeuralModel: @unchecked Sendable {
    public let configuration: TrainingConfiguration
    /// The features actually used (returns only when a series lacked volume).
    public let features: FeatureKind
    public let scalers: [String: Scaler]
    public let network: SequenceModel<Float>

    public init(configuration: TrainingConfiguration, features: FeatureKind, scalers: [String: Scaler]) throws(TrainingError) {
        self.configuration = configuration
        self.features = features
        self.scalers = scalers
        var net = configuration.network
        net.inputSize = features.inputSize
        do { network = try SequenceModel<Float>(configuration: net, seed: configuration.seed) } catch {
            throw TrainingError(error)
        }
        network.threads = configuration.threads
    }

    /// Rebuilds a stored model from its parts.
    public convenience init(configuration: TrainingConfiguration, features: FeatureKind, scalers: [String: Scaler],
                            weights: [UInt8]) throws(TrainingError) {
        try self.init(configuration: configuration, features: features, scalers: scalers)
        do { try network.loadParameters(from: weights) } catch { throw TrainingError(error) }
    }

    public var weights: [UInt8] { network.parameterBlob() }

    public func scaler(for symbol: String) throws(TrainingError) -> Scaler {
        if let s = scalers[symbol] { return s }
        if let s = scalers.first(where: { $0.key.caseInsensitiveCompare(symbol) == .orderedSame })?.value { return s }
        throw .invalidInput("the model was not trained on \(symbol)")
    }

    public func zeroState(batch: Int = 1) -> RecurrentState<Float> { network.zeroState(batch: batch) }

    /// Steps one forward call covers when advancing a state: the forward keeps every step's
    /// activations, so memory is bounded by this, not by the length of the history.
    public static let advanceChunk = 4096

    /// Advances one stream's `state` over feature rows `rows` (unscaled), one step each, in chunks
    /// of `advanceChunk` steps (the state carries over exactly between chunks).
    public func advance<Rows: RandomAccessCollection>(_ state: inout RecurrentState<Float>, over rows: Rows,
                                                      scaler: Scaler) throws(TrainingError)
    where Rows.Index == Int, Rows.Element: RandomAccessCollection<Double>, Rows.Element.Index == Int {
        let I = features.inputSize
        var start = rows.startIndex
        var x = [Float](repeating: 0, count: min(rows.count, Self.advanceChunk) * I)
        while start < rows.endIndex {
            let end = min(start + Self.advanceChunk, rows.endIndex), L = end - start
            for t in 0..<L {
                let r = rows[start + t]
                for j in 0..<I { x[t * I + j] = Float(scaler.scale(r[r.startIndex + j], feature: j)) }
            }
            do {
                let (_, final) = try network.forward(Array(x[0..<(L * I)]), steps: L, batch: 1, state: state, training: false)
                state = final
            } catch { throw TrainingError(error) }
            start = end
        }
    }

    /// The feature rows of the last `count` changes of `bars` (row k: the change into bar
    /// n − count + k), unscaled, as `symbol`'s scaler defines them, and the seasonal cursor at the last
    /// bar (nil without seasonal inputs): what advancing a state over new bars reads. Seasonal rows
    /// depend on the season before them, so they are built over all of `bars`; the others from the
    /// last count + 1 bars alone.
    public func rows(last count: Int, of bars: [Bar], symbol: String) throws(TrainingError) -> (rows: FeatureRows, cursor: SeasonalCursor?) {
        let scaler = try scaler(for: symbol)
        if features == .seasonal {
            let f = try SeriesFeatures.build(symbol: symbol, bars: bars, kind: .seasonal, returnKind: scaler.changes,
                                             seasonal: scaler.seasonal)
            return (f.raw.suffix(rows: count), f.cursor(afterRow: f.count - 1))
        }
        let tail = Array(bars.suffix(count + 1))
        let rows = tail.indices.dropFirst().map {
            SeriesFeatures.row(from: tail[$0 - 1], to: tail[$0], kind: features, returnKind: scaler.changes)
        }
        return (FeatureRows(rows, width: features.inputSize), nil)
    }

    /// The model's prediction of the next scaled return from a state (the head applied to the top h).
    public func nextScaledReturn(from state: RecurrentState<Float>) throws(TrainingError) -> [Float] {
        guard let top = state.layers.last else { return [] }
        do { return try network.head.forward(top.h, rows: state.batch) } catch { throw TrainingError(error) }
    }

    /// Forecasts `horizon` log returns for every stream of `state` by feeding each prediction back as
    /// the next input (volume change, when used, is taken as its training mean). Returns
    /// `returns[b][k]`, the raw log return (a difference, for a value series) k+1 steps ahead for stream b.
    ///
    /// With seasonal inputs, `cursors[b]` is stream b's seasonal cursor at its state's observation: each
    /// predicted deseasonalised change moves it on and gives the next step's calendar and seasonal-lag
    /// inputs, and the seasonal component's change is added to the returned change. A stream
    /// without a cursor (a series with no seasonal pattern) gets those inputs at 0.
    public func forecastReturns(from state: RecurrentState<Float>, horizon: Int, scalers: [Scaler],
                                cursors: [SeasonalCursor?]? = nil) throws(TrainingError) -> [[Double]] {
        let B = state.batch, I = features.inputSize
        precondition(scalers.count == B, "one scaler per stream")
        var cursor = cursors ?? Array(repeating: nil, count: B)
        precondition(cursor.count == B, "one cursor per stream")
        // The direct head's H outputs are steps 1 … H from this state; its first output is also the
        // one-step prediction that the recursion (steps beyond H, and the seasonal cursor) runs on.
        let H = configuration.outputSteps
        var st = state
        let heads = try nextScaledReturn(from: st)
        var z = (0..<B).map { heads[$0 * H] }
        var out = [[Double]](repeating: [], count: B)
        var seasonalStep = [[Double]](repeating: [], count: B)
        var x = [Float](repeating: 0, count: B * I)
        var next = [Float](repeating: 0, count: B * H)
        for k in 0..<horizon {
            var change = [Double](repeating: 0, count: B)
            for b in 0..<B {
                change[b] = scalers[b].unscale(Double(z[b]), feature: 0)
                let step = cursor[b]?.nextSeasonalStep ?? 0
                seasonalStep[b].append(step)
                out[b].append(change[b] + step)
            }
            if k == horizon - 1 { break }
            for b in 0..<B {
                x[b * I] = z[b]
                for j in 1..<max(I, 1) { x[b * I + j] = 0 }  // volume change (or seasonal inputs) at the training mean
                if var c = cursor[b] {
                    let row = c.advance(change: change[b])
                    cursor[b] = c
                    for j in 1..<I { x[b * I + j] = Float(scalers[b].scale(row[j], feature: j)) }
                }
            }
            do { try network.step(x, state: &st, output: &next) } catch { throw TrainingError(error) }
            z = (0..<B).map { next[$0 * H] }
        }
        if H > 1 {
            for b in 0..<B {
                for k in 0..<min(H, out[b].count) {
                    out[b][k] = scalers[b].unscale(Double(heads[b * H + k]), feature: 0) + seasonalStep[b][k]
                }
            }
        }
        return out
    }

    /// Price path from `lastPrice` and log returns (or, for a value series, differences).
    public static func prices(from lastPrice: Double, returns: [Double], kind: ReturnKind = .log) -> [Double] {
        kind.path(from: lastPrice, returns: returns)
    }
}

/// A stream's state as of a date, with what is needed to forecast from it without replay.
public struct StreamState: Sendable, Equatable {
    public var symbol: String
    public var asOf: CivilDate
    public var lastPrice: Double
    /// The last feature row consumed (unscaled), the base for the next day's change.
    public var state: RecurrentState<Float>

    public init(symbol: String, asOf: CivilDate, lastPrice: Double, state: RecurrentState<Float>) {
        self.symbol = symbol
        self.asOf = asOf
        self.lastPrice = lastPrice
        self.state = state
    }
}
