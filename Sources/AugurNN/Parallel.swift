// Splitting work over threads. Chunks of independent rows (streams) or columns run on the
// spinning WorkerPool; with one chunk the closure runs inline, with no cost.

enum Parallel {
    /// Splits 0..<count into at most `chunks` contiguous ranges (sizes multiples of `granularity`
    /// except the last) and runs `body` on each, concurrently when there is more than one.
    /// Allocates nothing when there is one chunk.
    static func forEachChunk(count: Int, chunks: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let units = (count + granularity - 1) / granularity
        let n = max(1, min(chunks, units))
        if n == 1 { body(0..<count); return }
        WorkerPool.shared.run(iterations: n) { i in
            let start = min(count, (units * i / n) * granularity)
            let end = min(count, (units * (i + 1) / n) * granularity)
            if end > start { body(start..<end) }
        }
    }
}
