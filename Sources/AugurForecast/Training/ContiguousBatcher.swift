/// Cuts training pairs into B parallel streams of consecutive windows, so that row i of batch
/// k+1 continues row i of batch k: the layout a stateful RNN needs to carry its state.
///
/// One series, B streams (consecutive segments), windows of L steps, nw windows per stream:
///
/// ```
///  pairs:  [dropped | stream 0: w0 w1 … w(nw−1) | stream 1: w0 w1 … | … | stream B−1: … ]
///
///  batch 0 = (stream 0 w0, stream 1 w0, …, stream B−1 w0)
///  batch 1 = (stream 0 w1, stream 1 w1, …, stream B−1 w1)      row i continues row i
///  …
///  batch nw−1 = (… w(nw−1) …)        stream B−1's last window ends at the last pair
/// ```
///
/// With several series, each series is one stream (B = number of series) and every stream
/// keeps its newest nw·L pairs. What does not divide evenly is dropped from the oldest end, so
/// the newest data, nearest the validation part, is always used.
public struct ContiguousBatcher: Sendable {
    /// Where one window comes from: series `series`, pairs `start ..< start + L`.
    public struct WindowIndex: Sendable, Equatable {
        public var series: Int
        public var start: Int
    }

    public let window: Int
    public let streams: Int
    public let windowsPerStream: Int
    /// `layout[k][i]`: the window in row i of batch k.
    public let layout: [[WindowIndex]]
    /// Pairs left out at the oldest end, per series.
    public let droppedPerSeries: [Int]

    /// One series of `pairs` pairs cut into `streams` segments.
    public init(pairs: Int, streams B: Int, window L: Int) throws(TrainingError) {
        guard L >= 1, B >= 1 else { throw .invalidInput("streams and window must be at least 1") }
        let nw = pairs / B / L
        guard nw >= 1 else {
            throw .seriesTooShort(symbol: "series", needed: B * L + 2, got: pairs + 2)
        }
        let used = B * nw * L
        let offset = pairs - used
        window = L
        streams = B
        windowsPerStream = nw
        layout = (0..<nw).map { k in (0..<B).map { i in WindowIndex(series: 0, start: offset + i * nw * L + k * L) } }
        droppedPerSeries = [offset]
    }

    /// Several series, one stream each; every stream keeps its newest `nw·L` pairs, with nw set
    /// by the shortest series.
    public init(pairsPerSeries: [Int], window L: Int) throws(TrainingError) {
        guard L >= 1, !pairsPerSeries.isEmpty else { throw .invalidInput("need at least one series and L ≥ 1") }
        let nw = (pairsPerSeries.min() ?? 0) / L
        guard nw >= 1 else { throw .seriesTooShort(symbol: "series", needed: L + 2, got: (pairsPerSeries.min() ?? 0) + 2) }
        window = L
        streams = pairsPerSeries.count
        windowsPerStream = nw
        let offsets = pairsPerSeries.map { $0 - nw * L }
        layout = (0..<nw).map { k in pairsPerSeries.indices.map { s in WindowIndex(series: s, start: offsets[s] + k * L) } }
        droppedPerSeries = offsets
    }

    public var batchCount: Int { layout.count }
    public var stepsPerEpoch: Int { batchCount * streams * window }

    /// Every window of every batch, in batch order (what a stateless trainer shuffles).
    public var allWindows: [WindowIndex] { layout.flatMap { $0 } }
}

/// Fills model tensors for a list of windows, time-major as AugurNN wants them:
/// x is (L, B, I) and y is (L, B, H), row b being `windows[b]` (H = 1, or the direct head's steps).
struct BatchAssembler {
    let features: [SeriesFeatures]
    let scalers: [Scaler]
    let window: Int
    var steps = 1

    func assemble(_ windows: [ContiguousBatcher.WindowIndex]) -> (x: [Float], y: [Float]) {
        let L = window, B = windows.count, I = features[0].kind.inputSize, H = steps
        var x = [Float](repeating: 0, count: L * B * I)
        var y = [Float](repeating: 0, count: L * B * H)
        for (b, w) in windows.enumerated() {
            let f = features[w.series], s = scalers[w.series]
            for t in 0..<L {
                let p = w.start + t
                for j in 0..<I { x[(t * B + b) * I + j] = Float(s.scale(f.raw[p][j], feature: j)) }
                f.targets(p, steps: H, scaler: s, into: &y, at: (t * B + b) * H)
            }
        }
        return (x, y)
    }
}
